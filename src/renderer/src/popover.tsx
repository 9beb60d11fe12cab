/** Entry of the tray popover page. The API (`window.existTray`) is injected before this runs. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Popover } from './popover/Popover';
import { hasApi, MissingApi } from './components/MissingApi';
import './styles/base.css';
import './styles/popover.css';

createRoot(document.getElementById('root')!).render(<StrictMode>{hasApi() ? <Popover /> : <MissingApi />}</StrictMode>);
