FROM nginx:1.27
ENTRYPOINT /docker-entrypoint.sh
CMD nginx -g "daemon off;"
