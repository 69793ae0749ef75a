# Call frame entries written byte by byte, for the layouts no current compiler emits:
# .debug_frame CIE versions 1, 3 and 4 (4-byte addresses too), 64-bit DWARF lengths, set_loc,
# code alignment 4; .eh_frame with the pre-GCC-3 "eh" augmentation, udata2/udata4/sdata8/
# textrel/datarel FDE encodings, personality and LSDA pointers, an unknown augmentation letter
# after 'z' (skipped by its length, as GCC's unwinder does) and a 64-bit length FDE.
# (readelf 2.40 misreads a version 4 CIE's FDEs when its address size differs from the ELF
# class, so the one here has 8-byte addresses.)
	.text
	nop

	.section .debug_frame,"",@progbits
.Ldf:
.Lc1:	.long .Lc1e - .Lc1s
.Lc1s:	.long 0xffffffff
	.byte 1				# version 1: return address column is a byte
	.asciz ""
	.uleb128 4			# code alignment
	.sleb128 -8
	.byte 16
	.byte 0x0c, 7, 8		# def_cfa rsp+8
	.byte 0x90, 1			# offset rip at cfa-8
.Lc1e:
	.long .Lf1e - .Lf1s
.Lf1s:	.long .Lc1 - .Ldf
	.quad 0x1000, 0x40
	.byte 0x41			# advance_loc 1*4
	.byte 0x0e, 16			# def_cfa_offset 16
	.byte 0x01
	.quad 0x1010			# set_loc
	.byte 0x86, 2			# offset rbp at cfa-16
	.byte 0x02, 3			# advance_loc1 3*4
	.byte 0x0d, 6			# def_cfa_register rbp
	.byte 0, 0			# nops
.Lf1e:

.Lc3:	.long .Lc3e - .Lc3s
.Lc3s:	.long 0xffffffff
	.byte 3				# version 3: return address column is a ULEB128
	.asciz ""
	.uleb128 1
	.sleb128 -4
	.byte 0x90, 0x00		# 16, padded ULEB128
	.byte 0x0c, 7, 8
	.byte 0x90, 2			# offset rip at cfa-8
.Lc3e:
	.long .Lf3e - .Lf3s
.Lf3s:	.long .Lc3 - .Ldf
	.quad 0x2000, 0x20
	.byte 0x44			# advance_loc 4
	.byte 0x12, 7, 0x7c		# def_cfa_sf rsp, -4*-4 = 16
	.byte 0x83, 4			# offset rbx at cfa-16
	.byte 0x03, 0x08, 0x00		# advance_loc2 8
	.byte 0x0a			# remember_state
	.byte 0x08, 3			# same_value rbx
	.byte 0x41
	.byte 0x0b			# restore_state
.Lf3e:

.Lc4:	.long .Lc4e - .Lc4s
.Lc4s:	.long 0xffffffff
	.byte 4				# version 4: address and segment sizes follow the augmentation
	.asciz ""
	.byte 8, 0			# address and segment selector sizes
	.uleb128 1
	.sleb128 -8
	.uleb128 16
	.byte 0x0c, 7, 8
	.byte 0x90, 1
.Lc4e:
	.long .Lf4e - .Lf4s
.Lf4s:	.long .Lc4 - .Ldf
	.quad 0x3000, 0x18
	.byte 0x42
	.byte 0x0e, 24
	.byte 0x44
	.byte 0x0e, 8
.Lf4e:

.Lc64:	.long 0xffffffff		# 64-bit DWARF: 8-byte length and CIE id
	.quad .Lc64e - .Lc64s
.Lc64s:	.quad 0xffffffffffffffff
	.byte 1
	.asciz ""
	.uleb128 1
	.sleb128 -8
	.byte 16
	.byte 0x0c, 7, 8
	.byte 0x90, 1
.Lc64e:
	.long 0xffffffff
	.quad .Lf64e - .Lf64s
.Lf64s:	.quad .Lc64 - .Ldf
	.quad 0x4000, 0x10
	.byte 0x41
	.byte 0x0e, 16
	.byte 0x8c, 2			# offset r12 at cfa-16
	.byte 0x41
	.byte 0xcc			# restore r12
.Lf64e:

	.section .eh_frame,"a",@progbits
.Lceh:	.long .Lcehe - .Lcehs
.Lcehs:	.long 0
	.byte 1
	.asciz "eh"
	.quad 0				# the old exception table pointer
	.uleb128 1
	.sleb128 -8
	.byte 16
	.byte 0x0c, 7, 8
	.byte 0x90, 1
.Lcehe:
	.long .Lfehe - .Lfehs
.Lfehs:	.long . - .Lceh
	.quad 0x5000, 0x10		# no 'R': absolute addresses
	.byte 0x41
	.byte 0x0e, 16
.Lfehe:

.Lcu2:	.long .Lcu2e - .Lcu2s
.Lcu2s:	.long 0
	.byte 1
	.asciz "zR"
	.uleb128 1
	.sleb128 -8
	.byte 16
	.uleb128 1
	.byte 0x02			# DW_EH_PE_udata2
	.byte 0x0c, 7, 8
	.byte 0x90, 1
.Lcu2e:
	.long .Lfu2e - .Lfu2s
.Lfu2s:	.long . - .Lcu2
	.short 0x6000, 0x10
	.uleb128 0
	.byte 0x41
	.byte 0x0e, 16
	.byte 0x01
	.short 0x6008			# set_loc in the FDE encoding
	.byte 0x0e, 8
.Lfu2e:

.Lcs8:	.long .Lcs8e - .Lcs8s
.Lcs8s:	.long 0
	.byte 1
	.asciz "zR"
	.uleb128 1
	.sleb128 -8
	.byte 16
	.uleb128 1
	.byte 0x0c			# DW_EH_PE_sdata8
	.byte 0x0c, 7, 8
	.byte 0x90, 1
.Lcs8e:
	.long .Lfs8e - .Lfs8s
.Lfs8s:	.long . - .Lcs8
	.quad 0x7000, 0x20
	.uleb128 0
	.byte 0x42
	.byte 0x0e, 16
.Lfs8e:

.Lctr:	.long .Lctre - .Lctrs
.Lctrs:	.long 0
	.byte 1
	.asciz "zR"
	.uleb128 1
	.sleb128 -8
	.byte 16
	.uleb128 1
	.byte 0x23			# DW_EH_PE_textrel | udata4 (.text is at 0 here)
	.byte 0x0c, 7, 8
	.byte 0x90, 1
.Lctre:
	.long .Lftre - .Lftrs
.Lftrs:	.long . - .Lctr
	.long 0x8000, 0x10
	.uleb128 0
	.byte 0x41
	.byte 0x0e, 16
.Lftre:

.Lcdr:	.long .Lcdre - .Lcdrs
.Lcdrs:	.long 0
	.byte 1
	.asciz "zR"
	.uleb128 1
	.sleb128 -8
	.byte 16
	.uleb128 1
	.byte 0x3b			# DW_EH_PE_datarel | sdata4 (no GOT here: base 0)
	.byte 0x0c, 7, 8
	.byte 0x90, 1
.Lcdre:
	.long .Lfdre - .Lfdrs
.Lfdrs:	.long . - .Lcdr
	.long 0x9000, 0x10
	.uleb128 0
	.byte 0x41
	.byte 0x0e, 16
.Lfdre:

.Lcpl:	.long .Lcple - .Lcpls
.Lcpls:	.long 0
	.byte 1
	.asciz "zPLR"
	.uleb128 1
	.sleb128 -8
	.byte 16
	.uleb128 11
	.byte 0x00			# personality: absptr
	.quad 0xdead0000
	.byte 0x03			# LSDA: udata4
	.byte 0x03			# FDE: udata4
	.byte 0x0c, 7, 8
	.byte 0x90, 1
.Lcple:
	.long .Lfple - .Lfpls
.Lfpls:	.long . - .Lcpl
	.long 0xa000, 0x10
	.uleb128 4
	.long 0xbeef			# LSDA
	.byte 0x41
	.byte 0x0e, 16
.Lfple:

.Lcux:	.long .Lcuxe - .Lcuxs
.Lcuxs:	.long 0
	.byte 1
	.asciz "zRX"
	.uleb128 1
	.sleb128 -8
	.byte 16
	.uleb128 2
	.byte 0x03			# FDE: udata4
	.byte 0x55			# data of the unknown 'X'
	.byte 0x0c, 7, 8
	.byte 0x90, 1
.Lcuxe:
	.long .Lfuxe - .Lfuxs
.Lfuxs:	.long . - .Lcux
	.long 0xb000, 0x10
	.uleb128 0
	.byte 0x41
	.byte 0x0e, 16
.Lfuxe:

	# A 64-bit length FDE of the "eh" CIE: its CIE pointer stays 4 bytes (LSB "Extended Length",
	# GCC's and LLVM's unwinders), where readelf 2.40 reads 8 and loses the CIE.
	.long 0xffffffff
	.quad .Lf64ehe - .Lf64ehs
.Lf64ehs:
	.long . - .Lceh
	.quad 0xc000, 0x10
	.byte 0x41
	.byte 0x0e, 16
.Lf64ehe:
	.long 0				# terminator
