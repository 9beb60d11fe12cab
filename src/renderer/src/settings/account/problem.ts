/** An account action's error as the cards show it: words, and the raw detail behind "Details". */
export interface Problem {
  message: string;
  detail?: string | undefined;
}
