FROM ubuntu:24.04
RUN service apache2 restart
