FROM node:20-slim
COPY . /app
RUN chmod -R 777 /app
RUN chmod 0777 -R /var/lib/mpd \
 && chmod a+rwx /srv/data \
 && chmod o+w /etc/app.conf
USER 1000
