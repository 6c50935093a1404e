//go:build !purego

#include "textflag.h"

// ahead is how many rows in advance the kernels prefetch.
#define ahead 4

// func addRowsSSE(y, w []float32, idx []int32, val []float32)
//
// For k in order: y[0:n] += val[k] * w[idx[k]*n : idx[k]*n+n], n = len(y).
// 16 classes per step, then 4, then 1; every lane is computed as
// y[c] + (a * w[c]) with single-precision rounding after each operation.
// Registers: DI y, CX n, SI w, R8 idx, R9 len(idx), R10 val, R11 row bytes,
// R12 k, BX current row, DX current y, R13 classes left, X0/Y0 val[k].
TEXT ·addRowsSSE(SB), NOSPLIT, $0-96
	MOVQ y_base+0(FP), DI
	MOVQ y_len+8(FP), CX
	MOVQ w_base+24(FP), SI
	MOVQ idx_base+48(FP), R8
	MOVQ idx_len+56(FP), R9
	MOVQ val_base+72(FP), R10
	MOVQ CX, R11
	SHLQ $2, R11 // row stride in bytes

	// Prefetch the first rows; the loop prefetches the rest ahead of use.
	XORQ R12, R12

first:
	CMPQ       R12, $ahead
	JGE        start
	CMPQ       R12, R9
	JGE        start
	MOVLQSX    (R8)(R12*4), AX
	IMULQ      R11, AX
	ADDQ       SI, AX
	MOVQ       R11, R13
	PREFETCHT0 -1(AX)(R11*1)

firstline:
	PREFETCHT0 (AX)
	ADDQ       $64, AX
	SUBQ       $64, R13
	JGT        firstline
	INCQ       R12
	JMP        first

start:
	XORQ R12, R12 // k

row:
	CMPQ R12, R9
	JGE  done
	MOVLQSX (R8)(R12*4), AX
	IMULQ   R11, AX
	LEAQ    (SI)(AX*1), BX // BX = &w[idx[k]*n]
	MOVSS   (R10)(R12*4), X0
	SHUFPS  $0, X0, X0 // X0 = val[k] in every lane

	// Prefetch row idx[k+ahead]: rows are scattered over megabytes of
	// weights and each spans several cache lines, more than the hardware
	// prefetcher fetches ahead, so without this every row waits on memory.
	LEAQ       ahead(R12), AX
	CMPQ       AX, R9
	JGE        compute
	MOVLQSX    (R8)(AX*4), AX
	IMULQ      R11, AX
	ADDQ       SI, AX // AX = &w[idx[k+ahead]*n]
	MOVQ       R11, R13
	PREFETCHT0 -1(AX)(R11*1) // the last line, when the row starts mid-line

prefetch:
	PREFETCHT0 (AX)
	ADDQ       $64, AX
	SUBQ       $64, R13
	JGT        prefetch

compute:
	MOVQ DI, DX
	MOVQ CX, R13

by16:
	CMPQ   R13, $16
	JLT    by4
	MOVUPS (BX), X1
	MOVUPS 16(BX), X2
	MOVUPS 32(BX), X3
	MOVUPS 48(BX), X4
	MULPS  X0, X1
	MULPS  X0, X2
	MULPS  X0, X3
	MULPS  X0, X4
	MOVUPS (DX), X5
	MOVUPS 16(DX), X6
	MOVUPS 32(DX), X7
	MOVUPS 48(DX), X8
	ADDPS  X1, X5
	ADDPS  X2, X6
	ADDPS  X3, X7
	ADDPS  X4, X8
	MOVUPS X5, (DX)
	MOVUPS X6, 16(DX)
	MOVUPS X7, 32(DX)
	MOVUPS X8, 48(DX)
	ADDQ   $64, BX
	ADDQ   $64, DX
	SUBQ   $16, R13
	JMP    by16

by4:
	CMPQ   R13, $4
	JLT    by1
	MOVUPS (BX), X1
	MULPS  X0, X1
	MOVUPS (DX), X5
	ADDPS  X1, X5
	MOVUPS X5, (DX)
	ADDQ   $16, BX
	ADDQ   $16, DX
	SUBQ   $4, R13
	JMP    by4

by1:
	TESTQ R13, R13
	JEQ   next
	MOVSS (BX), X1
	MULSS X0, X1
	MOVSS (DX), X5
	ADDSS X1, X5
	MOVSS X5, (DX)
	ADDQ  $4, BX
	ADDQ  $4, DX
	DECQ  R13
	JMP   by1

next:
	INCQ R12
	JMP  row

done:
	RET

// func addRowsAVX(y, w []float32, idx []int32, val []float32)
//
// As addRowsSSE with 32, 8, 4 and 1 classes per step.
TEXT ·addRowsAVX(SB), NOSPLIT, $0-96
	MOVQ y_base+0(FP), DI
	MOVQ y_len+8(FP), CX
	MOVQ w_base+24(FP), SI
	MOVQ idx_base+48(FP), R8
	MOVQ idx_len+56(FP), R9
	MOVQ val_base+72(FP), R10
	MOVQ CX, R11
	SHLQ $2, R11 // row stride in bytes

	// Prefetch the first rows; the loop prefetches the rest ahead of use.
	XORQ R12, R12

avxfirst:
	CMPQ       R12, $ahead
	JGE        avxstart
	CMPQ       R12, R9
	JGE        avxstart
	MOVLQSX    (R8)(R12*4), AX
	IMULQ      R11, AX
	ADDQ       SI, AX
	MOVQ       R11, R13
	PREFETCHT0 -1(AX)(R11*1)

avxfirstline:
	PREFETCHT0 (AX)
	ADDQ       $64, AX
	SUBQ       $64, R13
	JGT        avxfirstline
	INCQ       R12
	JMP        avxfirst

avxstart:
	XORQ R12, R12 // k

avxrow:
	CMPQ         R12, R9
	JGE          avxdone
	MOVLQSX      (R8)(R12*4), AX
	IMULQ        R11, AX
	LEAQ         (SI)(AX*1), BX // BX = &w[idx[k]*n]
	VBROADCASTSS (R10)(R12*4), Y0 // Y0 = val[k] in every lane

	LEAQ       ahead(R12), AX
	CMPQ       AX, R9
	JGE        avxcompute
	MOVLQSX    (R8)(AX*4), AX
	IMULQ      R11, AX
	ADDQ       SI, AX // AX = &w[idx[k+ahead]*n]
	MOVQ       R11, R13
	PREFETCHT0 -1(AX)(R11*1)

avxprefetch:
	PREFETCHT0 (AX)
	ADDQ       $64, AX
	SUBQ       $64, R13
	JGT        avxprefetch

avxcompute:
	MOVQ DI, DX
	MOVQ CX, R13

avx32:
	CMPQ    R13, $32
	JLT     avx8
	VMULPS  (BX), Y0, Y1
	VMULPS  32(BX), Y0, Y2
	VMULPS  64(BX), Y0, Y3
	VMULPS  96(BX), Y0, Y4
	VADDPS  (DX), Y1, Y1
	VADDPS  32(DX), Y2, Y2
	VADDPS  64(DX), Y3, Y3
	VADDPS  96(DX), Y4, Y4
	VMOVUPS Y1, (DX)
	VMOVUPS Y2, 32(DX)
	VMOVUPS Y3, 64(DX)
	VMOVUPS Y4, 96(DX)
	ADDQ    $128, BX
	ADDQ    $128, DX
	SUBQ    $32, R13
	JMP     avx32

avx8:
	CMPQ    R13, $8
	JLT     avx4
	VMULPS  (BX), Y0, Y1
	VADDPS  (DX), Y1, Y1
	VMOVUPS Y1, (DX)
	ADDQ    $32, BX
	ADDQ    $32, DX
	SUBQ    $8, R13
	JMP     avx8

avx4:
	CMPQ    R13, $4
	JLT     avx1
	VMULPS  (BX), X0, X1
	VADDPS  (DX), X1, X1
	VMOVUPS X1, (DX)
	ADDQ    $16, BX
	ADDQ    $16, DX
	SUBQ    $4, R13

avx1:
	TESTQ  R13, R13
	JEQ    avxnext
	VMOVSS (BX), X1
	VMULSS X0, X1, X1
	VADDSS (DX), X1, X1
	VMOVSS X1, (DX)
	ADDQ   $4, BX
	ADDQ   $4, DX
	DECQ   R13
	JMP    avx1

avxnext:
	INCQ R12
	JMP  avxrow

avxdone:
	VZEROUPPER
	RET

// func cpuHasAVX() bool
//
// CPUID leaf 1 reports AVX (ECX bit 28) and OSXSAVE (bit 27); XCR0 bits 1
// and 2 say the OS saves the SSE and AVX register state.
TEXT ·cpuHasAVX(SB), NOSPLIT, $0-1
	MOVL   $1, AX
	XORL   CX, CX
	CPUID
	MOVL   CX, BX
	ANDL   $0x18000000, BX
	CMPL   BX, $0x18000000
	JNE    noavx
	XORL   CX, CX
	XGETBV
	ANDL   $6, AX
	CMPL   AX, $6
	JNE    noavx
	MOVB   $1, ret+0(FP)
	RET

noavx:
	MOVB $0, ret+0(FP)
	RET
