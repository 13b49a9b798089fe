/* media_image.c - picture processing with libvips (being written). */
typedef int sen_media_image_placeholder;
