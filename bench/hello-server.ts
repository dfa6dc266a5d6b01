// The floor: a bare node:http hello-world server, measured in the same run as the app.
import http from 'node:http'

const port = Number(process.env.PORT ?? 0)
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' })
  res.end('hello world')
})
server.listen(port, '127.0.0.1', () => {
  const address = server.address()
  console.log(`listening ${typeof address === 'object' && address ? address.port : port}`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
