FROM nginx:1.27-alpine
	EXPOSE 0.0.0.0:8080:80/TCP \
  443/Tcp
