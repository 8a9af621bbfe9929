package main

import (
	"context"
	"fmt"
	"strings"

	"gongkai/internal/store"
)

// backup writes a backup of the database: a SQLite database file (VACUUM
// INTO, while the server goes on writing) or, for PostgreSQL, gongkai's own
// archive. GONGKAI_DATA_KEY, when set, is not in it and must be kept with it.
func (m *Main) backup(ctx context.Context, args []string) int {
	fs := m.flagSet("backup", "backup [--db PATH|postgres://DSN] -o FILE")
	dsn := m.dbFlag(fs)
	out := fs.String("o", "", "备份文件（已有则替换）")
	if ok, code := parse(fs, args); !ok {
		return code
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(m.Stderr, "用法：gongkai backup [--db …] -o 备份文件")
		return 2
	}
	db, err := m.open(ctx, *dsn)
	if err != nil {
		return m.fail(err)
	}
	defer db.Close()
	st, err := db.Backup(ctx, *out)
	if err != nil {
		return m.fail(err)
	}
	fmt.Fprintf(m.Stdout, "已备份到 %s（%s，数据库结构 %d，%d 张表，%d 行，%d 字节）。\n", *out, kindName(st.Kind), st.Schema, st.Tables, st.Rows, st.Bytes)
	if m.Getenv("GONGKAI_DATA_KEY") != "" {
		fmt.Fprintln(m.Stdout, "注意：环境变量 GONGKAI_DATA_KEY 设置的数据密钥不在备份中，请与备份一起妥善保管，否则恢复后无法解密申请人身份信息。")
	}
	return 0
}

// restore loads a backup into an empty database (or, with --force, one
// whose contents it replaces).
func (m *Main) restore(ctx context.Context, args []string) int {
	fs := m.flagSet("restore", "restore [--db PATH|postgres://DSN] [--force] FILE")
	dsn := m.dbFlag(fs)
	force := fs.Bool("force", false, "目标数据库已有数据时，删除其全部内容后恢复")
	if ok, code := parse(fs, args); !ok {
		return code
	}
	// The file may come before the flags: restore FILE --db D.
	rest := fs.Args()
	if len(rest) > 1 {
		if ok, code := parse(fs, rest[1:]); !ok {
			return code
		}
		rest = append(rest[:1], fs.Args()...)
	}
	if len(rest) != 1 || strings.TrimSpace(rest[0]) == "" {
		fmt.Fprintln(m.Stderr, "用法：gongkai restore [--db …] [--force] 备份文件")
		return 2
	}
	st, err := store.Restore(ctx, *dsn, rest[0], store.RestoreOptions{Force: *force})
	if err != nil {
		return m.fail(err)
	}
	fmt.Fprintf(m.Stdout, "已从 %s 恢复（%s，数据库结构 %d，%d 张表，%d 行）。\n", rest[0], kindName(st.Kind), st.Schema, st.Tables, st.Rows)
	return 0
}

func kindName(k string) string {
	if k == "sqlite" {
		return "SQLite 数据库文件"
	}
	return "gongkai 备份归档"
}
