# Production image: the standalone Next.js server (what `npm start` and the end-to-end tests run), with its
# static assets, public files and database migrations (scripts/prepare-standalone.mjs copies them in).
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
# Exactly the committed lock: `npm ci` fails rather than resolve anything anew.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0 DATA_DIR=/app/.data
WORKDIR /app
RUN groupadd --system intake && useradd --system --gid intake --home-dir /app intake \
  && mkdir -p /app/.data && chown intake:intake /app/.data
# Owned by root and read-only to the server; it writes only its data directory (PGlite, local files) and
# Next's cache.
COPY --from=build /app/.next/standalone ./
RUN mkdir -p /app/.next/cache && chown intake:intake /app/.next/cache
USER intake
EXPOSE 3000
# Without DATABASE_URL and S3_BUCKET the embedded database and local files live here: mount a volume.
VOLUME ["/app/.data"]
# Process up: /api/health answers without touching the database (readiness is /api/ready).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "server.js"]
