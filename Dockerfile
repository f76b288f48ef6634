# syntax=docker/dockerfile:1
# Build: docker build -t gateway .
# Run:   docker run -p 3000:3000 -v gateway-sessions:/var/lib/gateway -e GATEWAY_API_KEY=... gateway
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
RUN dotnet publish src/Gateway/Gateway.csproj -c Release -o /app --no-self-contained

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
RUN groupadd --system gateway && useradd --system --gid gateway --home-dir /var/lib/gateway --shell /usr/sbin/nologin gateway \
    && mkdir -p /var/lib/gateway/sessions /var/log/gateway && chown -R gateway:gateway /var/lib/gateway /var/log/gateway
WORKDIR /app
COPY --from=build /app ./
ENV GATEWAY_URLS=http://0.0.0.0:3000 \
    GATEWAY_SESSIONS_DIR=/var/lib/gateway/sessions \
    GATEWAY_LOGS_DIR=/var/log/gateway \
    MALLOC_ARENA_MAX=2 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
USER gateway
VOLUME ["/var/lib/gateway"]
EXPOSE 3000
# The runtime image has no curl; the gateway answers its own health probe.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["/app/gateway", "health"]
ENTRYPOINT ["/app/gateway"]
CMD ["serve"]
