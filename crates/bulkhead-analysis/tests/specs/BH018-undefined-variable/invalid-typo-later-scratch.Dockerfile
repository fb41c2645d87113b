FROM debian:bookworm-slim AS app
ENV APP_HOME=/srv/app
WORKDIR $APP_HOEM
COPY --chown=${APP_USER}:${APP_USER} . $APP_HOME
ENV APP_USER=app
user ${APP_USER}

FROM scratch
COPY --from=app /srv/app /srv/app
ENV CONFIG=/etc/${APP_NAME}.conf
