import { PATH_SOURCES, SERVER_SOURCES, type Source } from '../model/event.js';

/** Where a line was written, from the client outwards: one lane each in the HTML timeline. */
export type Lane = 'client' | 'proxy' | 'nginx' | 'app' | 'firewall';

export const LANES: readonly Lane[] = ['client', 'proxy', 'nginx', 'app', 'firewall'];

export const LANE_NAMES: Readonly<Record<Lane, string>> = { client: 'client / pytest', proxy: 'proxy', nginx: 'nginx', app: 'app', firewall: 'firewall' };

/** A source's lane; a declared format's source goes by the side it speaks for (model/event.ts). */
export function laneOf(source: Source): Lane {
  if (source === 'firewall') return 'firewall';
  if (source === 'nginx-error' || source === 'nginx-access') return 'nginx';
  if (PATH_SOURCES.includes(source)) return 'proxy';
  if (SERVER_SOURCES.includes(source)) return 'app';
  return 'client';
}
