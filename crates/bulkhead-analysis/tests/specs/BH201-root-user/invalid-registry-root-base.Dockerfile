# The name suggests a non-root image, but its config in the registry sets no user.
FROM registry.example.com/team/nginx-unprivileged:1.27
COPY site/ /usr/share/nginx/html/
CMD ["nginx", "-g", "daemon off;"]
