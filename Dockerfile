# Production image: the standalone Next.js server, migrations included.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=3000 HOSTNAME=0.0.0.0 DATA_DIR=/app/.data
WORKDIR /app
RUN groupadd --system intake && useradd --system --gid intake intake && mkdir -p /app/.data && chown intake:intake /app/.data
COPY --from=build --chown=intake:intake /app/.next/standalone ./
USER intake
EXPOSE 3000
VOLUME ["/app/.data"]
CMD ["node", "server.js"]
