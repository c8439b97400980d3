/** One sample's value from the Prometheus text format: `name{labels} value` (labels as written, e.g. `type="send"`). */
export function sample(text: string, name: string, labels = ''): number {
  const key = labels ? `${name}{${labels}}` : name;
  const line = text.split('\n').find((l) => l.startsWith(`${key} `));
  if (!line) throw new Error(`no sample ${key} in:\n${text}`);
  return Number(line.slice(key.length + 1));
}
