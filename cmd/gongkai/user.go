package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"gongkai/internal/audit"
	"gongkai/internal/auth"
	"gongkai/internal/errs"
	"gongkai/internal/org"
)

func (m *Main) user(ctx context.Context, args []string) int {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprintln(m.Stderr, "用法：gongkai user add --unit CODE --username NAME --name 姓名 --role 角色[,角色] (--password-stdin | --password P)")
		return 2
	}
	fs := m.flagSet("user add", "user add --unit CODE --username NAME --name 姓名 --role admin,editor (--password-stdin | --password P)")
	dsn := m.dbFlag(fs)
	unit := fs.String("unit", "", "所属单位代码，如 fuzhou")
	dept := fs.String("department", "", "所属部门名称（可选）")
	username := fs.String("username", "", "登录用户名")
	name := fs.String("name", "", "姓名")
	email := fs.String("email", "", "电子邮箱（可选）")
	roles := fs.String("role", "", "角色，逗号分隔："+roleList())
	password := fs.String("password", "", "初始密码（会留在命令历史中，建议改用 --password-stdin）")
	fromStdin := fs.Bool("password-stdin", false, "从标准输入读取密码（第一行）")
	if ok, code := parse(fs, args[1:]); !ok {
		return code
	}
	if *fromStdin {
		line, err := bufio.NewReader(m.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return m.fail(errs.E(errs.Invalid, "未能从标准输入读到密码"))
		}
		*password = strings.TrimRight(line, "\r\n")
	}
	if *unit == "" || *username == "" || *name == "" || *roles == "" || *password == "" {
		fmt.Fprintln(m.Stderr, "缺少参数：--unit、--username、--name、--role 和密码（--password-stdin 或 --password）都必须提供。")
		return 2
	}
	db, un, code := m.openUnit(ctx, *dsn, *unit, byCode)
	if code != 0 {
		return code
	}
	defer db.Close()
	u := org.User{Username: *username, DisplayName: *name, UnitID: un.ID, Email: *email}
	if *dept != "" {
		deps, err := db.Departments(ctx, un.ID)
		if err != nil {
			return m.fail(err)
		}
		for _, d := range deps {
			if d.Name == strings.TrimSpace(*dept) {
				u.DepartmentID = d.ID
			}
		}
		if u.DepartmentID == 0 {
			return m.fail(errs.E(errs.Invalid, "%s没有名为“%s”的部门", un.Name, *dept))
		}
	}
	for _, r := range strings.Split(*roles, ",") {
		role, err := org.ParseRole(r)
		if err != nil {
			return m.fail(err)
		}
		u.Grants = append(u.Grants, org.Grant{UnitID: un.ID, Role: role})
	}
	if err := org.ValidateUser(&u, *password); err != nil {
		return m.fail(err)
	}
	hash, err := auth.HashPassword(*password, auth.DefaultParams)
	if err != nil {
		return m.fail(err)
	}
	if err := db.CreateUser(ctx, audit.System("cli"), &u, hash); err != nil {
		return m.fail(err)
	}
	var labels []string
	for _, g := range u.Grants {
		labels = append(labels, g.Role.Label())
	}
	fmt.Fprintf(m.Stdout, "已创建账号 %s（%s，%s：%s）\n", u.Username, u.DisplayName, un.Name, strings.Join(labels, "、"))
	return 0
}

func roleList() string {
	var s []string
	for _, r := range org.Roles {
		s = append(s, string(r)+"="+r.Label())
	}
	return strings.Join(s, " ")
}
