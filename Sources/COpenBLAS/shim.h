#pragma once
// cblas.h also declares openblas_set_num_threads / openblas_get_num_threads / openblas_get_corename.
#include <cblas.h>

// Debian's OpenBLAS is built with NO_LAPACKE, so the Fortran LAPACK symbols are declared by hand.
void ssyevd_(const char *jobz, const char *uplo, const int *n, float *a, const int *lda,
             float *w, float *work, const int *lwork, int *iwork, const int *liwork, int *info);
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda,
             double *w, double *work, const int *lwork, int *iwork, const int *liwork, int *info);
void spotrf_(const char *uplo, const int *n, float *a, const int *lda, int *info);
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info);
