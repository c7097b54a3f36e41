// Entry of the landing page (/).
import { render } from 'preact';
import { loadConfig } from '../common/config.js';
import { Landing } from './Landing.js';

void loadConfig().then((config) => {
  render(<Landing config={config} />, document.getElementById('app')!);
});
