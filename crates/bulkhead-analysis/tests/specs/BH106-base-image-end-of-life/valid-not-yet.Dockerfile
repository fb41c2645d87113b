# PHP 8.2 ends on 2026-12-31, after the date of the check.
FROM php:8.2-fpm
CMD ["php-fpm"]
