FROM node:20-alpine
CMD ["node"]
