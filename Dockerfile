# callscaler-sync as a container. Build: docker build -t callscaler-sync .
# Run (the pipeline file and its destination live in a mounted directory; the key comes from the environment):
#   docker run --rm --user "$(id -u):$(id -g)" -e CALLSCALER_API_KEY -v "$PWD:/data" \
#     callscaler-sync run -c /data/pipeline.yaml --json

# Build stage: all dependencies (TypeScript included) and the compiled dist/.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` (the build) needs the sources, which come next.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY connectors ./connectors
RUN npm run build

# Runtime stage: production dependencies from the lockfile and the compiled CLI; no compiler, no sources.
FROM node:20-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: skips `prepare` (there is nothing to build here); no runtime dependency has an install script.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/connectors ./dist/connectors
COPY docs/pipeline.schema.json ./docs/pipeline.schema.json
# The node image's unprivileged user (uid 1000); relative paths in a pipeline file resolve against its own
# directory, so the working directory does not matter.
USER node
ENTRYPOINT ["node", "dist/src/cli/main.js"]
CMD ["--help"]
