# check=skip=all
FROM nginx:1.27-alpine
EXPOSE 127.0.0.1:8080:80/TCP
