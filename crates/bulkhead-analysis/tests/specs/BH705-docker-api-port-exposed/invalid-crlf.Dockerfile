FROM docker:27-dind
EXPOSE 2376 \
    2375
