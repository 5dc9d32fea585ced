{{/* The chart's name, cut to the 63 characters a label value may hold. */}}
{{- define "ocpi-hub.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The release's resource name: <release>-ocpi-hub, or the release name alone when it already says ocpi-hub. */}}
{{- define "ocpi-hub.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "ocpi-hub.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels that select this release's pods; never change them after an install (a Deployment's selector is fixed). */}}
{{- define "ocpi-hub.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ocpi-hub.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "ocpi-hub.labels" -}}
helm.sh/chart: {{ include "ocpi-hub.chart" . }}
{{ include "ocpi-hub.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "ocpi-hub.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "ocpi-hub.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* repository:tag, or repository@digest when a digest is given. */}}
{{- define "ocpi-hub.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/*
The Secret a reference points at: its own name, else secrets.existingSecret; fails naming the value to set.
Argument: (dict "ref" <reference> "path" "secrets.x" "root" $).
*/}}
{{- define "ocpi-hub.secretName" -}}
{{- $name := default .root.Values.secrets.existingSecret .ref.name -}}
{{- required (printf "%s.name or secrets.existingSecret must name an existing Secret (the chart never renders secret values)" .path) $name -}}
{{- end -}}

{{/* A map without its empty values ("", null, {}, []), recursively: an unset setting keeps the hub's own default. */}}
{{- define "ocpi-hub.prune" -}}
{{- $out := dict -}}
{{- range $key, $value := . -}}
{{- if kindIs "map" $value -}}
{{- $inner := include "ocpi-hub.prune" $value | fromYaml -}}
{{- if $inner -}}
{{- $_ := set $out $key $inner -}}
{{- end -}}
{{- else if not (or (kindIs "invalid" $value) (and (kindIs "string" $value) (eq $value "")) (and (kindIs "slice" $value) (empty $value))) -}}
{{- $_ := set $out $key $value -}}
{{- end -}}
{{- end -}}
{{- toYaml $out -}}
{{- end -}}

{{/* server.forward-headers-strategy: as set, else framework behind an ingress. */}}
{{- define "ocpi-hub.forwardHeadersStrategy" -}}
{{- if .Values.server.forwardHeadersStrategy -}}
{{- .Values.server.forwardHeadersStrategy -}}
{{- else if .Values.ingress.enabled -}}
framework
{{- end -}}
{{- end -}}

{{/* The application.yml the ConfigMap carries: non-secret settings only. */}}
{{- define "ocpi-hub.applicationYaml" -}}
{{- $spring := dict
      "r2dbc" (dict "url" (required "postgresql.r2dbcUrl is required, e.g. r2dbc:postgresql://hub-db-rw:5432/ocpihub" .Values.postgresql.r2dbcUrl)
                    "username" (required "postgresql.username is required" .Values.postgresql.username)
                    "pool" (dict "initial-size" .Values.postgresql.pool.initialSize "max-size" .Values.postgresql.pool.maxSize))
      "flyway" (dict "url" (required "postgresql.jdbcUrl is required, e.g. jdbc:postgresql://hub-db-rw:5432/ocpihub" .Values.postgresql.jdbcUrl)
                     "user" .Values.postgresql.username)
      "kafka" (dict "bootstrap-servers" (required "kafka.bootstrapServers is required, e.g. hub-kafka-kafka-bootstrap:9092" .Values.kafka.bootstrapServers)
                    "properties" (include "ocpi-hub.kafkaProperties" . | fromYaml)) -}}
{{- $config := dict "spring" $spring "hub" (deepCopy .Values.hub) -}}
{{- $strategy := include "ocpi-hub.forwardHeadersStrategy" . -}}
{{- if $strategy -}}
{{- $_ := set $config "server" (dict "forward-headers-strategy" $strategy) -}}
{{- end -}}
{{- $merged := mergeOverwrite $config (deepCopy .Values.extraConfig) -}}
{{- include "ocpi-hub.prune" $merged -}}
{{- end -}}

{{/* spring.kafka.properties: the shared client properties, plus the truststore when kafka.trustedCa names a Secret. */}}
{{- define "ocpi-hub.kafkaProperties" -}}
{{- $properties := deepCopy .Values.kafka.properties -}}
{{- if .Values.kafka.trustedCa.secretName -}}
{{- $_ := set $properties "ssl.truststore.type" "PEM" -}}
{{- $_ := set $properties "ssl.truststore.location" (printf "/etc/ocpi-hub/kafka-ca/%s" .Values.kafka.trustedCa.key) -}}
{{- end -}}
{{- toYaml $properties -}}
{{- end -}}
