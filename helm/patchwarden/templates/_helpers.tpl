{{/*
Names are fixed: Patchwarden is installed once per cluster (its CRDs, ClusterRole and the nodes it
patches are cluster-wide), and the docs, runbooks and the operator's defaults use these names.
*/}}
{{- define "patchwarden.operatorName" -}}patchwarden-operator{{- end }}
{{- define "patchwarden.leaseName" -}}patchwarden-operator{{- end }}

{{/* Labels on every object. */}}
{{- define "patchwarden.labels" -}}
app.kubernetes.io/name: patchwarden
app.kubernetes.io/instance: {{ .Release.Name | quote }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service | quote }}
app.kubernetes.io/part-of: patchwarden
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | quote }}
{{- end }}

{{/* Labels on the operator's objects (Deployment, pods, Services, ...): the above plus a component. */}}
{{- define "patchwarden.operatorLabels" -}}
{{ include "patchwarden.labels" . }}
app.kubernetes.io/component: operator
{{- end }}

{{/* The operator pods' selector (immutable on the Deployment: never change it). */}}
{{- define "patchwarden.selectorLabels" -}}
app.kubernetes.io/name: patchwarden
app.kubernetes.io/instance: {{ .Release.Name | quote }}
app.kubernetes.io/component: operator
{{- end }}

{{/* repository:tag, or repository@digest. */}}
{{- define "patchwarden.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}
{{- end }}

{{/* Where the gateway's TLS Secret is mounted. */}}
{{- define "patchwarden.gatewayTlsDir" -}}/etc/patchwarden/gateway-tls{{- end }}
