import { incidentUrl, type Incident } from '../correlate/incident.js';

/** Fills {placeholders} in advice lines from the incident; unknown values stay visible as <name>. */
export function fillAdvice(lines: readonly string[], incident: Incident): string[] {
  const values: Record<string, string | undefined> = {
    method: incident.method,
    host: incident.host,
    port: incident.port?.toString(),
    path: incident.path,
    url: incidentUrl(incident, '<path>'),
    test: incident.test,
    source: incident.anchor.source,
    errnoName: incident.anchor.errnoName,
    status: incident.anchor.status?.toString(),
  };
  return lines.map((line) => line.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? (values[name] ?? `<${name}>`) : whole)));
}
