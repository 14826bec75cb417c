# One image for the web app and the worker (docker-compose.yml picks the command).
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx prisma generate && npx next build && node scripts/build-worker.mjs && node scripts/build-web-server.mjs

FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app /app
EXPOSE 3000
# Ferry's own server (server/web-server.ts) rather than `next start`: it takes the client
# address from the socket, or from FERRY_TRUSTED_PROXY_HOPS proxies in front of it.
CMD ["node", "dist/web-server.mjs", "--port", "3000"]
