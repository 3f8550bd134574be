"""Compact templates of the demo catalogue: federal institutions and what they publish.

Each topic is ``(title, description, tags, table, years)``: ``{year}`` in the
title and description is filled for each year listed (``()`` means a single
dataset without a year). ``table`` names the kind of file generated for it.
"""

from __future__ import annotations

from typing import NamedTuple


class Topic(NamedTuple):
    title: str
    description: str
    tags: tuple[str, ...]
    table: str
    years: tuple[int | str, ...] = ()


class Institution(NamedTuple):
    key: str
    title: str
    acronym: str
    domain: str
    group: str
    topics: tuple[Topic, ...]


Y5 = (2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023)
Y3 = (2019, 2020, 2021, 2022, 2023)
STATES22 = ("Aguascalientes", "Baja California", "Chiapas", "Chihuahua", "Ciudad de México", "Coahuila",
            "Guanajuato", "Guerrero", "Jalisco", "México", "Michoacán", "Nuevo León", "Oaxaca", "Puebla",
            "Querétaro", "Quintana Roo", "Sinaloa", "Sonora", "Tabasco", "Veracruz", "Yucatán", "Zacatecas")

INSTITUTIONS: tuple[Institution, ...] = (
    Institution("shcp", "Secretaría de Hacienda y Crédito Público", "SHCP", "hacienda.gob.mx", "finanzas", (
        Topic("Presupuesto de Egresos de la Federación {year}",
              "Presupuesto aprobado por la Cámara de Diputados para el ejercicio fiscal {year}, por ramo, "
              "unidad responsable, programa presupuestario y capítulo de gasto.",
              ("presupuesto", "gasto público", "PEF", "finanzas públicas"), "budget", Y5),
        Topic("Cuenta Pública {year}",
              "Información del ejercicio del gasto y de los ingresos del Gobierno Federal reportada en la "
              "Cuenta de la Hacienda Pública Federal {year}.",
              ("cuenta pública", "gasto ejercido", "rendición de cuentas"), "spending", Y5),
        Topic("Ingresos presupuestarios del sector público",
              "Serie mensual de ingresos tributarios y no tributarios del sector público presupuestario.",
              ("ingresos", "impuestos", "finanzas públicas"), "series"),
        Topic("Deuda pública federal",
              "Saldos de la deuda interna y externa del Gobierno Federal, mensual.",
              ("deuda pública", "endeudamiento"), "series"),
        Topic("Transferencias federales a entidades federativas {year}",
              "Participaciones y aportaciones federales pagadas a los estados y municipios en {year}.",
              ("participaciones", "aportaciones", "federalismo fiscal"), "spending", Y3),
        Topic("Gasto en comunicación social {year}",
              "Contratos y montos ejercidos en campañas de comunicación social por dependencia, {year}.",
              ("comunicación social", "publicidad oficial", "gasto"), "contracts", Y3),
        Topic("Fideicomisos públicos",
              "Inventario de fideicomisos, mandatos y contratos análogos con recursos federales.",
              ("fideicomisos", "transparencia presupuestaria"), "registry"),
    )),
    Institution("sep", "Secretaría de Educación Pública", "SEP", "sep.gob.mx", "educacion", (
        Topic("Estadística de educación básica, ciclo escolar {year}",
              "Alumnos, docentes y escuelas de preescolar, primaria y secundaria por entidad, ciclo {year}.",
              ("educación básica", "alumnos", "escuelas", "estadística educativa"), "stats", Y5),
        Topic("Catálogo de centros de trabajo",
              "Escuelas y centros de trabajo del sistema educativo nacional con su ubicación.",
              ("escuelas", "CCT", "ubicación"), "geo"),
        Topic("Becas Benito Juárez, padrón de beneficiarios {year}",
              "Padrón de beneficiarios de las becas para el bienestar Benito Juárez, {year}.",
              ("becas", "padrón de beneficiarios", "programas sociales"), "beneficiaries", Y3),
        Topic("Resultados de evaluaciones de aprendizaje",
              "Resultados agregados por entidad de las evaluaciones nacionales de aprendizaje.",
              ("evaluación", "aprendizaje", "PLANEA"), "stats"),
        Topic("Plantilla docente federalizada {year}",
              "Plazas docentes pagadas con el FONE por entidad federativa, {year}.",
              ("docentes", "nómina", "FONE"), "payroll", Y3),
        Topic("Contratos de adquisiciones de la SEP {year}",
              "Contratos de adquisiciones, arrendamientos y servicios celebrados por la SEP en {year}.",
              ("contratos", "adquisiciones", "compras públicas"), "contracts", Y3),
    )),
    Institution("salud", "Secretaría de Salud", "SALUD", "salud.gob.mx", "salud", (
        Topic("Egresos hospitalarios {year}",
              "Egresos de unidades hospitalarias de la Secretaría de Salud por diagnóstico (CIE-10), {year}.",
              ("egresos hospitalarios", "morbilidad", "CIE-10"), "health", Y5),
        Topic("Defunciones generales {year}",
              "Defunciones registradas por causa, sexo, edad y entidad de residencia, {year}.",
              ("mortalidad", "defunciones", "estadísticas vitales"), "health", Y5),
        Topic("Recursos en salud: unidades médicas",
              "Catálogo de clave única de establecimientos de salud (CLUES) con ubicación y tipología.",
              ("CLUES", "unidades médicas", "infraestructura"), "geo"),
        Topic("Vacunación, dosis aplicadas {year}",
              "Dosis de vacunas aplicadas por biológico, grupo de edad y entidad, {year}.",
              ("vacunación", "salud pública", "inmunización"), "health", Y3),
        Topic("Compras consolidadas de medicamentos {year}",
              "Contratos de la compra consolidada de medicamentos y material de curación, {year}.",
              ("medicamentos", "compras consolidadas", "contratos"), "contracts", Y3),
        Topic("Vigilancia epidemiológica de dengue",
              "Casos confirmados de dengue por semana epidemiológica y entidad.",
              ("dengue", "epidemiología", "vigilancia"), "health"),
    )),
    Institution("imss", "Instituto Mexicano del Seguro Social", "IMSS", "imss.gob.mx", "salud", (
        Topic("Asegurados y puestos de trabajo afiliados {year}",
              "Puestos de trabajo afiliados al IMSS por entidad, sector de actividad y tamaño de registro "
              "patronal, mensual {year}.",
              ("empleo formal", "asegurados", "afiliación"), "stats", Y5),
        Topic("Consultas de medicina familiar {year}",
              "Consultas otorgadas en unidades de medicina familiar por delegación, {year}.",
              ("consultas", "medicina familiar", "servicios médicos"), "health", Y3),
        Topic("Adquisiciones del IMSS {year}",
              "Procedimientos de contratación y contratos adjudicados por el IMSS, {year}.",
              ("licitaciones", "contratos", "adjudicación directa"), "contracts", Y3),
        Topic("Guarderías del IMSS",
              "Ubicación y capacidad instalada de las guarderías del esquema ordinario y subrogado.",
              ("guarderías", "prestaciones sociales"), "geo"),
        Topic("Pensiones en curso de pago",
              "Pensiones vigentes por ramo de seguro, sexo y delegación.",
              ("pensiones", "seguridad social"), "series"),
    )),
    Institution("inegi", "Instituto Nacional de Estadística y Geografía", "INEGI", "inegi.org.mx", "economia", (
        Topic("Índice Nacional de Precios al Consumidor",
              "INPC mensual y sus componentes, base segunda quincena de julio 2018.",
              ("inflación", "precios", "INPC"), "series"),
        Topic("Encuesta Nacional de Ocupación y Empleo {year}",
              "Indicadores estratégicos de ocupación y empleo por entidad federativa, {year}.",
              ("empleo", "ENOE", "encuestas"), "stats", Y5),
        Topic("Censo de Población y Vivienda 2020, principales resultados por localidad",
              "Principales resultados por localidad (ITER) del Censo de Población y Vivienda 2020.",
              ("censo", "población", "vivienda", "localidades"), "stats"),
        Topic("Directorio Estadístico Nacional de Unidades Económicas",
              "Unidades económicas activas con actividad, tamaño y ubicación (DENUE).",
              ("DENUE", "empresas", "unidades económicas", "registro de empresas"), "registry"),
        Topic("Marco Geoestadístico",
              "Límites de áreas geoestadísticas estatales, municipales y localidades.",
              ("cartografía", "marco geoestadístico", "límites"), "geo"),
        Topic("Anuario estadístico y geográfico de {year}",
              "Compendio de estadísticas demográficas, sociales y económicas de {year}.",
              ("anuario", "estadística estatal"), "stats", STATES22),
        Topic("Producto Interno Bruto trimestral",
              "PIB trimestral a precios constantes por actividad económica.",
              ("PIB", "cuentas nacionales", "economía"), "series"),
    )),
    Institution("conagua", "Comisión Nacional del Agua", "CONAGUA", "conagua.gob.mx", "medio-ambiente", (
        Topic("Monitoreo de la calidad del agua {year}",
              "Resultados de la red nacional de medición de calidad del agua en sitios superficiales, {year}.",
              ("calidad del agua", "monitoreo", "ríos"), "environment", Y5),
        Topic("Almacenamiento de presas",
              "Volumen almacenado diario en las principales presas del país.",
              ("presas", "almacenamiento", "hidrología"), "series"),
        Topic("Registro Público de Derechos de Agua",
              "Títulos de concesión y asignación de aguas nacionales inscritos en el REPDA.",
              ("concesiones", "REPDA", "derechos de agua"), "registry"),
        Topic("Precipitación mensual por estado",
              "Lámina de lluvia mensual por entidad federativa (Servicio Meteorológico Nacional).",
              ("lluvia", "clima", "meteorología"), "series"),
        Topic("Normales climatológicas de {year}",
              "Valores normales de temperatura y precipitación de las estaciones climatológicas de {year}.",
              ("clima", "normales climatológicas", "estaciones"), "environment", STATES22[:16]),
        Topic("Monitor de sequía de México",
              "Municipios con sequía por categoría de intensidad, quincenal.",
              ("sequía", "clima"), "environment"),
    )),
    Institution("semarnat", "Secretaría de Medio Ambiente y Recursos Naturales", "SEMARNAT",
                "semarnat.gob.mx", "medio-ambiente", (
        Topic("Calidad del aire, concentraciones horarias {year}",
              "Concentraciones horarias de contaminantes criterio por estación de monitoreo, {year}.",
              ("calidad del aire", "contaminantes", "monitoreo atmosférico"), "environment", Y3),
        Topic("Áreas Naturales Protegidas",
              "Polígonos y datos generales de las áreas naturales protegidas federales.",
              ("ANP", "biodiversidad", "conservación"), "geo"),
        Topic("Registro de Emisiones y Transferencia de Contaminantes {year}",
              "Emisiones reportadas por establecimientos industriales en la COA, {year}.",
              ("RETC", "emisiones", "industria"), "registry", Y3),
        Topic("Autorizaciones de impacto ambiental",
              "Resolutivos de manifestaciones de impacto ambiental por proyecto.",
              ("impacto ambiental", "autorizaciones", "MIA"), "registry"),
        Topic("Generación de residuos peligrosos {year}",
              "Residuos peligrosos manifestados por los generadores registrados, {year}.",
              ("residuos peligrosos", "industria", "medio ambiente"), "registry", Y5),
        Topic("Inventario nacional forestal",
              "Superficie forestal por tipo de vegetación y entidad federativa.",
              ("bosques", "forestal", "vegetación"), "stats"),
    )),
    Institution("sfp", "Secretaría de la Función Pública", "SFP", "funcionpublica.gob.mx", "gobierno", (
        Topic("Declaraciones patrimoniales de servidores públicos {year}",
              "Versiones públicas de las declaraciones de situación patrimonial y de intereses, {year}.",
              ("declaraciones patrimoniales", "conflicto de interés", "integridad"), "declarations", Y3),
        Topic("Servidores públicos sancionados",
              "Registro de servidores públicos sancionados con inhabilitación, multa o destitución.",
              ("sanciones", "servidores públicos", "anticorrupción"), "registry"),
        Topic("Empresas y particulares sancionados",
              "Proveedores y contratistas sancionados para contratar con la Administración Pública Federal.",
              ("proveedores sancionados", "contrataciones", "anticorrupción"), "registry"),
        Topic("Contrataciones públicas (CompraNet) {year}",
              "Expedientes y contratos publicados en CompraNet por todas las dependencias, {year}.",
              ("CompraNet", "contrataciones abiertas", "licitaciones", "contratos"), "contracts", Y5),
        Topic("Estructura orgánica de la Administración Pública Federal",
              "Plazas y puestos autorizados por dependencia y nivel salarial.",
              ("plazas", "estructuras", "nómina"), "payroll"),
        Topic("Viáticos y pasajes de servidores públicos {year}",
              "Gastos de viáticos y pasajes de comisiones oficiales de la APF, {year}.",
              ("viáticos", "gasto", "servidores públicos"), "spending", Y5),
        Topic("Directorio de servidores públicos",
              "Nombre, cargo y datos de contacto institucional de servidores públicos.",
              ("directorio", "servidores públicos"), "registry"),
    )),
    Institution("se", "Secretaría de Economía", "SE", "economia.gob.mx", "economia", (
        Topic("Inversión extranjera directa {year}",
              "Flujos de IED por país de origen, sector y entidad federativa, {year}.",
              ("inversión extranjera", "IED", "economía"), "stats", Y5),
        Topic("Sociedades mercantiles inscritas",
              "Sociedades constituidas a través del sistema de sociedades por acciones simplificadas.",
              ("registro de empresas", "sociedades mercantiles", "SAS"), "registry"),
        Topic("Registro Público de Comercio, actos inscritos",
              "Actos mercantiles inscritos por oficina registral y tipo de acto.",
              ("registro público de comercio", "empresas"), "registry"),
        Topic("Comercio exterior por fracción arancelaria",
              "Importaciones y exportaciones mensuales por fracción arancelaria y país.",
              ("comercio exterior", "aranceles", "exportaciones"), "series"),
        Topic("Padrón de importadores {year}",
              "Empresas inscritas en el padrón de importadores por sector, {year}.",
              ("padrón de importadores", "comercio exterior", "empresas"), "registry", Y3),
        Topic("Normas Oficiales Mexicanas vigentes",
              "Catálogo de NOM vigentes con su dependencia emisora y fecha de publicación en el DOF.",
              ("normas", "NOM", "regulación"), "registry"),
    )),
    Institution("cfe", "Comisión Federal de Electricidad", "CFE", "cfe.mx", "energia", (
        Topic("Generación de energía eléctrica por tecnología {year}",
              "Energía generada por central y tecnología, mensual {year}.",
              ("electricidad", "generación", "energía"), "series", Y5),
        Topic("Usuarios y consumo de electricidad por municipio",
              "Usuarios, ventas y consumo por tarifa y municipio.",
              ("consumo eléctrico", "tarifas", "usuarios"), "stats"),
        Topic("Tarifas eléctricas {year}",
              "Cargos de las tarifas eléctricas de suministro básico por región, {year}.",
              ("tarifas", "electricidad", "precios"), "series", Y5),
        Topic("Centrales generadoras",
              "Ubicación, capacidad efectiva y tecnología de las centrales de la CFE.",
              ("centrales", "capacidad instalada", "infraestructura"), "geo"),
        Topic("Contratos de obra pública de la CFE {year}",
              "Contratos de obra pública y servicios relacionados adjudicados por la CFE, {year}.",
              ("obra pública", "contratos", "licitaciones"), "contracts", Y3),
    )),
)

#: CKAN groups of the demo portal (datos.gob.mx style).
GROUPS = {
    "finanzas": "Finanzas y contrataciones",
    "educacion": "Educación",
    "salud": "Salud",
    "economia": "Economía",
    "medio-ambiente": "Medio ambiente",
    "gobierno": "Gobierno",
    "energia": "Energía",
}

FREQUENCIES = ("mensual", "trimestral", "anual", "semanal", "diaria", "irregular", "R/P1M", "R/P1Y")
