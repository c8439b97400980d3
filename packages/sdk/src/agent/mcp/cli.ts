#!/usr/bin/env node
// parley-mcp: Parley's agent tools over MCP stdio. See cli-options.ts for the flags.
if (process.argv.includes('--help') || process.argv.includes('-h')) {
  const { MCP_USAGE } = await import('./cli-options.js');
  process.stdout.write(`${MCP_USAGE}\n`);
  process.exit(0);
}

try {
  // Imported here, not at the top, so a missing optional peer gets a clear message.
  const { parseMcpArgs, runMcpServer } = await import('./cli-options.js');
  await runMcpServer(parseMcpArgs(process.argv.slice(2), process.env));
} catch (error) {
  const message = (error as Error).message;
  process.stderr.write(
    /Cannot find (module|package) '@modelcontextprotocol\/sdk/.test(message)
      ? 'parley-mcp needs @modelcontextprotocol/sdk: npm install @modelcontextprotocol/sdk\n'
      : `${message}\n`,
  );
  process.exit(2);
}

export {};
