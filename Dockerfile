# WecomBridge: one image for both roles (Bridge__Roles__0=Gateway / Dispatcher to split them).
# Servers by environment: ConnectionStrings__RabbitMq, ConnectionStrings__Redis, and ConnectionStrings__Postgres for
# the dispatcher's contact pool (an Npgsql connection string; the app creates and migrates its schema `pool` at start).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY contracts/WecomBridge.Contracts/WecomBridge.Contracts.csproj contracts/WecomBridge.Contracts/
COPY src/WecomBridge.Fakes/WecomBridge.Fakes.csproj src/WecomBridge.Fakes/
COPY src/WecomBridge/WecomBridge.csproj src/WecomBridge/
RUN dotnet restore src/WecomBridge/WecomBridge.csproj
COPY contracts/ contracts/
COPY src/ src/
RUN dotnet publish src/WecomBridge/WecomBridge.csproj -c Release -o /app --no-restore /p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
# The gateway's durable spool lives on a volume the non-root user owns.
RUN mkdir -p /var/lib/wecombridge/spool && chown -R $APP_UID /var/lib/wecombridge
COPY --from=build /app .
USER $APP_UID
ENV ASPNETCORE_HTTP_PORTS=8080 \
    Gateway__Spool__Path=/var/lib/wecombridge/spool
VOLUME /var/lib/wecombridge/spool
EXPOSE 8080
# The aspnet image has no curl or wget: the app probes itself.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["dotnet", "/app/WecomBridge.dll", "probe", "http://127.0.0.1:8080/health/live"]
ENTRYPOINT ["dotnet", "/app/WecomBridge.dll"]
