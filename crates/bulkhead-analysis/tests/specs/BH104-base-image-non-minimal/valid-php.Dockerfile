# php images are built on debian:*-slim and remove the compilers they use.
FROM php:8.3-apache
COPY . /var/www/html/
