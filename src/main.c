#include <stdio.h>
int main(void) { puts("sen: under construction"); return 0; }
