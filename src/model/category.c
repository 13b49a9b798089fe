/* placeholder: the owning helper replaces this file */
