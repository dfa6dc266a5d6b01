/** Content types and index files a web server needs to serve the archive at its live URLs. */

export const NGINX_CONF = `# Serve the verification archive at the host of the install's PUBLIC_URL (and did:web host).
server {
    listen 443 ssl;
    server_name learn.example.org;            # the host of PUBLIC_URL
    # ssl_certificate / ssl_certificate_key ...
    root /srv/learncity-archive;              # the folder export-verification-archive wrote

    add_header Access-Control-Allow-Origin "*" always;
    add_header X-Content-Type-Options "nosniff" always;
    location ~ /\\. { deny all; }             # the manifest and other dot files

    location ~ ^/issuers/.+/did\\.json$      { default_type application/did+json; try_files $uri =404; }
    location ~ ^/issuers/.+/status/[a-z]+$   { default_type application/vc+ld+json; try_files $uri =404; }
    location ~ ^/issuers/.+/jwks\\.json$     { default_type application/jwk-set+json; try_files $uri =404; }
    location ~ ^/issuers/.+/jwks/[a-z0-9-]+$ { default_type application/jwk+json; try_files $uri =404; }
    location ~ ^/credentials/[0-9a-f-]+$     { default_type application/vc+ld+json; try_files $uri/index.json =404; }
    location ~ ^/achievements/[0-9]+$        { default_type application/json; try_files $uri/index.json =404; }
    location / { try_files $uri $uri/index.html =404; }
}
`

export const CADDYFILE = `# Serve the verification archive at the host of the install's PUBLIC_URL (and did:web host).
learn.example.org {
	root * /srv/learncity-archive
	header Access-Control-Allow-Origin "*"
	header X-Content-Type-Options "nosniff"
	@hidden path_regexp /\\.
	respond @hidden 404

	@did path_regexp ^/issuers/.+/did\\.json$
	header @did Content-Type application/did+json
	@status path_regexp ^/issuers/.+/status/[a-z]+$
	header @status Content-Type application/vc+ld+json
	@jwks path_regexp ^/issuers/.+/jwks\\.json$
	header @jwks Content-Type application/jwk-set+json
	@jwk path_regexp ^/issuers/.+/jwks/[a-z0-9-]+$
	header @jwk Content-Type application/jwk+json
	@credential path_regexp ^/credentials/[0-9a-f-]+$
	header @credential Content-Type application/vc+ld+json
	@achievement path_regexp ^/achievements/[0-9]+$
	header @achievement Content-Type application/json

	try_files {path} {path}/index.json {path}/index.html
	file_server
}
`

export function readme(publicUrl: string, didHost: string): string {
  const host = didHost.replace('%3A', ':')
  return `# LearnCity verification archive

This folder lets anyone keep checking the Open Badges 3.0 credentials this install issued, even when
the platform itself is gone. Host it, unchanged, at **https://${host}/** (the host in the issuers'
did:web identifiers; credentials also name ${publicUrl}). Nothing here is secret: it holds public
keys, signed status lists, achievements and the credentials learners chose to make public.

| path | what | Content-Type |
| --- | --- | --- |
| issuers/{city}[/{provider}]/did.json | the issuer's DID document (did:web) | application/did+json |
| issuers/…/status/revocation, …/status/suspension | signed Bitstring Status List credentials | application/vc+ld+json |
| issuers/…/jwks.json, issuers/…/jwks/{kid} | RSA keys for VC-JWT | application/jwk-set+json, application/jwk+json |
| achievements/{id}/index.json (served at /achievements/{id}) | the achievement | application/json |
| achievements/{id}/image.png | its image | image/png |
| credentials/{uuid}/index.json (served at /credentials/{uuid}) | a public credential | application/vc+ld+json |
| {lang}/{city}/badges/{uuid}/index.html | a static page of that badge | text/html |

Files without an extension (the status lists, the JWKs) need their Content-Type set by the server,
and /achievements/{id} and /credentials/{uuid} are served from the index.json inside their folder:
nginx.conf.example and Caddyfile.example do both. Send \`Access-Control-Allow-Origin: *\` so web
verifiers can read the files.

The status lists are the state at export time: export again (with --force into the same folder)
after revoking or suspending a badge, and upload the new files. Private credentials are not in the
archive; their holders keep their own copy, which still verifies against these files.
`
}
