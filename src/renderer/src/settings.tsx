/** Entry of the settings page. The API (`window.existTray`) is injected before this runs. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { SettingsWindow, tabFromLocation } from './settings/Settings';
import { hasApi, MissingApi } from './components/MissingApi';
import './styles/base.css';
import './styles/settings.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {hasApi() ? <SettingsWindow initialTab={tabFromLocation(window.location) ?? 'account'} /> : <MissingApi />}
  </StrictMode>,
);
