// Entry of the room page (/r/<room>).
import { render } from 'preact';
import { roomFromPath } from '../common/roomName.js';
import { Preview } from './model/Preview.js';
import { RoomModel } from './model/RoomModel.js';
import { App } from './ui/App.js';

const room = roomFromPath(location.pathname);
const root = document.getElementById('app')!;
if (!room) {
  location.replace('/');
} else {
  const model = new RoomModel(room);
  const preview = new Preview();
  // For diagnostics in the console and in tests.
  (window as unknown as { aerieApp: unknown }).aerieApp = { model, preview, get skylink() { return model.skylink; } };
  render(<App model={model} preview={preview} />, root);
  void model.start();
}
