import type { Source, SourceSides } from '../model/event.js';

/** Where a line was written, from the client outwards: one lane each in the HTML timeline. */
export type Lane = 'client' | 'proxy' | 'nginx' | 'app' | 'firewall';

export const LANES: readonly Lane[] = ['client', 'proxy', 'nginx', 'app', 'firewall'];

export const LANE_NAMES: Readonly<Record<Lane, string>> = { client: 'client / pytest', proxy: 'proxy', nginx: 'nginx', app: 'app', firewall: 'firewall' };

/** A source's lane; a declared format's source goes by the side it speaks for in the run (`sides`). */
export function laneOf(source: Source, sides: SourceSides): Lane {
  if (source === 'firewall') return 'firewall';
  if (source === 'nginx-error' || source === 'nginx-access') return 'nginx';
  const side = sides.sideOf(source);
  return side === 'proxy' ? 'proxy' : side === 'server' ? 'app' : 'client';
}
