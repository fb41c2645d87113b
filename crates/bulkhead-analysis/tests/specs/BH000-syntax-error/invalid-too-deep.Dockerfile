# Variable references nested 33 deep: one more than bulkhead analyses.
ARG TAG=${A:-${A:-${A:-${A:-${A:-${A:-${A:-${A:-${A:-${A:-${A:-${A:-${A:-${A:-${A:-${A:-${A:-${A:-${A:-${A:-${A:-${A:-${A:-${A:-${A:-${A:-${A:-${A:-${A:-${A:-${A:-${A:-${A:-3.20}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}
FROM alpine:${TAG}
# The rest of the file is checked as usual.
RUNN echo typo
