/** An `exportparts` value: each part under its own name, or renamed (`inner: outer`). */
export function exportParts(parts: readonly string[], renamed: Readonly<Record<string, string>> = {}): string {
  return parts.map((part) => (renamed[part] ? `${part}: ${renamed[part]}` : part)).join(', ');
}

/** The names `parts` have outside the element that exports them with `renamed`. */
export function exportedNames(parts: readonly string[], renamed: Readonly<Record<string, string>> = {}): string[] {
  return parts.map((part) => renamed[part] ?? part);
}
