package main
import (
 _ "modernc.org/sqlite"
 _ "github.com/jackc/pgx/v5/stdlib"
 _ "golang.org/x/crypto/argon2"
 _ "github.com/chromedp/chromedp"
 _ "golang.org/x/net/html"
)
func main(){}
