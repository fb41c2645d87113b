# base image
FROM node:${NODE}-slim
