# The local dev chain from the same pinned npm package bin/chainmesh uses (docker build -f deploy/anvil.Dockerfile .).
FROM node:20-slim
WORKDIR /opt/chainmesh
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
EXPOSE 8545
ENTRYPOINT ["/opt/chainmesh/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil", "--host", "0.0.0.0", "--port", "8545"]
