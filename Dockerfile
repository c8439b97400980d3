# Parley server image: `docker build -t parley .` from the repository root (the build needs the
# npm workspaces, the lockfile and sql/, so the context is the whole repository; .dockerignore
# narrows it to what is copied below). Not built in CI: there is no Docker engine there;
# packages/server/test/deployment/dockerfile.test.ts checks the files, scripts and variables it names.

# --- build: every dependency (dev ones too: tsc, rollup) and the three packages' dist/ ---
FROM node:20-bookworm-slim AS build
WORKDIR /app
# Manifests first, so the install layer is reused until a dependency changes.
COPY package.json package-lock.json ./
COPY packages/sdk/package.json packages/sdk/
COPY packages/widget/package.json packages/widget/
COPY packages/server/package.json packages/server/
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json ./
COPY packages/ packages/
# Builds sdk, then widget (dist/widget.js, which the server serves), then server.
RUN npm run build

# --- runtime: production dependencies, the built code and the SQL migrations only ---
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/sdk/package.json packages/sdk/
COPY packages/widget/package.json packages/widget/
COPY packages/server/package.json packages/server/
# The workspaces are linked into node_modules/@parley/, so the server finds the widget bundle
# through `@parley/widget/widget.js` as it does in the repository.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/packages/sdk/dist packages/sdk/dist
COPY --from=build /app/packages/widget/dist packages/widget/dist
COPY --from=build /app/packages/server/dist packages/server/dist
# The `parley` bin: a shim that runs dist/cli.js (package.json "bin").
COPY packages/server/bin packages/server/bin
# Read at run time by relative path from packages/server/dist: migrations (db/migrate.ts) and,
# only with PARLEY_DEMO=1 (for trying the image out, never production), the demo page.
COPY sql/ sql/
COPY examples/host-page/index.html examples/host-page/demo.css examples/host-page/

# Listen on every interface: inside a container 127.0.0.1 is unreachable from the outside.
# Without DATABASE_URL the server keeps an embedded PGlite database in PARLEY_DATA_DIR: mount a
# volume there to keep it (the image declares none, so a PostgreSQL deployment gets no stray volume).
ENV HOST=0.0.0.0 \
    PARLEY_DATA_DIR=/var/lib/parley
RUN mkdir -p /var/lib/parley && chown node:node /var/lib/parley
USER node

# The server's default PORT.
EXPOSE 3000
# Readiness, not liveness: 503 only when the database is unreachable; with Redis down /readyz is
# 200 "degraded" and the node stays in. The slim image has no curl; Node 20 has fetch.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# Node runs as PID 1 and handles SIGTERM itself (cli.ts: sockets closed with 1001, writes in
# flight committed, exit 0 within 20 s): give `docker stop` more than its default 10 s
# (`--stop-timeout 30`; compose.yaml sets stop_grace_period).
ENTRYPOINT ["node", "packages/server/bin/parley.js"]
CMD ["serve"]
