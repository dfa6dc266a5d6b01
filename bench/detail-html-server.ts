// The ceiling for a page: bare node:http answering every request with one fixed HTML string
// (the opportunity page as the app rendered it once), read from the file named in HTML_FILE.
import { readFileSync } from 'node:fs'
import http from 'node:http'

const html = readFileSync(process.env.HTML_FILE!, 'utf8')
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=UTF-8' })
  res.end(html)
})
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address()
  console.log(`listening ${typeof address === 'object' && address ? address.port : ''}`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
