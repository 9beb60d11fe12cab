/** Shared by the value suites: a profile with every imperial unit switched on. */
export const IMPERIAL = {
  imperial_distance: true,
  imperial_weight: true,
  imperial_energy: true,
  imperial_liquid: true,
  imperial_temperature: true,
};
