/**
 * The words of the discovery benchmark's invented catalogue: topics with titles in the six languages
 * (as far as a provider would write them), levels, description sentences and provider names, in the
 * spirit of the demo module's catalogue. Everything generated from them is labelled bench data.
 */

type Text = Partial<Record<'en' | 'es' | 'fr' | 'zh' | 'ar' | 'ru', string>>

export interface BenchTopic {
  topic: string
  block: string
  title: Text
  /** One sentence about it, per language. */
  about: Text
  ages: [number | null, number | null]
  groups: string[]
}

const t = (
  topic: string,
  block: string,
  title: Text,
  about: Text,
  ages: [number | null, number | null],
  groups: string[],
): BenchTopic => ({ topic, block, title, about, ages, groups })

export const TOPICS: BenchTopic[] = [
  t(
    'coding',
    'learning-technologies',
    { en: 'Coding club', es: 'Club de programación', zh: '编程俱乐部', fr: 'Club de code' },
    {
      en: 'Make games and animations with Scratch and Python; laptops provided.',
      es: 'Crea juegos y animaciones con Scratch y Python.',
      zh: '用电脑编写游戏和动画。',
      fr: 'Créez des jeux et des animations avec Scratch.',
    },
    [8, 14],
    ['children'],
  ),
  t(
    'robotics',
    'learning-technologies',
    { en: 'Robotics workshop', es: 'Taller de robótica', fr: 'Atelier de robotique', zh: '机器人编程入门' },
    {
      en: 'Build and program robots that sense, move and compete.',
      es: 'Construye y programa robots.',
      fr: 'Construisez et programmez des robots.',
      zh: '动手搭建并编程机器人。',
    },
    [10, 17],
    ['young-people'],
  ),
  t(
    'digital skills',
    'learning-technologies',
    {
      en: 'Smartphone and internet basics',
      es: 'Conceptos básicos de teléfono e internet',
      ru: 'Основы смартфона и интернета',
    },
    {
      en: 'Video calls, email, online banking and staying safe from scams.',
      es: 'Videollamadas, correo electrónico y seguridad en línea.',
      ru: 'Видеозвонки, электронная почта и безопасность в интернете.',
    },
    [55, null],
    ['seniors'],
  ),
  t(
    'ai',
    'learning-technologies',
    {
      en: 'Understanding artificial intelligence',
      es: 'Entender la inteligencia artificial',
      fr: 'Comprendre l’intelligence artificielle',
      zh: '了解人工智能',
    },
    {
      en: 'What chatbots and image generators can and cannot do, with hands-on exercises.',
      es: 'Qué pueden hacer los chatbots, con ejercicios prácticos.',
      fr: 'Ce que font les agents conversationnels, avec des exercices.',
    },
    [16, null],
    ['adults'],
  ),
  t(
    '3d printing',
    'learning-technologies',
    { en: '3D printing and design', es: 'Impresión y diseño 3D' },
    {
      en: 'Design a model on the computer and print it in the makerspace.',
      es: 'Diseña un modelo y imprímelo en el laboratorio.',
    },
    [12, null],
    ['young-people', 'adults'],
  ),
  t(
    'english',
    'inclusive-education',
    {
      en: 'English conversation circle',
      es: 'Círculo de conversación en inglés',
      zh: '英语会话小组',
      ar: 'حلقة محادثة باللغة الإنجليزية',
      fr: 'Cercle de conversation en anglais',
      ru: 'Разговорный клуб английского языка',
    },
    {
      en: 'Practise everyday English in a friendly group; all levels welcome.',
      es: 'Practica inglés cotidiano en un grupo amable.',
      zh: '在友好的小组中练习日常英语。',
      ar: 'تدرب على الإنجليزية اليومية في مجموعة ودودة.',
      ru: 'Практикуйте повседневный английский в дружной группе.',
    },
    [16, null],
    ['newcomers', 'adults'],
  ),
  t(
    'ged',
    'inclusive-education',
    { en: 'High school equivalency (GED) preparation', es: 'Preparación para el GED en español' },
    {
      en: 'Math, reading and writing practice for the GED test, with free practice exams.',
      es: 'Práctica de matemáticas, lectura y escritura para el examen.',
    },
    [17, null],
    ['adults'],
  ),
  t(
    'citizenship',
    'inclusive-education',
    {
      en: 'Citizenship test preparation',
      es: 'Preparación para el examen de ciudadanía',
      ar: 'التحضير لاختبار الجنسية',
      zh: '入籍考试准备',
    },
    {
      en: 'Civics questions, the interview and the reading and writing test.',
      es: 'Preguntas de educación cívica y la entrevista.',
      ar: 'أسئلة التربية المدنية والمقابلة.',
    },
    [18, null],
    ['newcomers'],
  ),
  t(
    'spanish',
    'inclusive-education',
    { en: 'Spanish for beginners', es: 'Español para principiantes', fr: 'Espagnol pour débutants' },
    {
      en: 'Greetings, numbers and the words you need at the market.',
      es: 'Saludos, números y palabras para el mercado.',
    },
    [12, null],
    ['adults'],
  ),
  t(
    'literacy',
    'inclusive-education',
    { en: 'Adult reading and writing', es: 'Lectura y escritura para adultos', ar: 'محو الأمية للكبار' },
    {
      en: 'One-to-one help with reading letters, forms and books.',
      es: 'Ayuda individual para leer cartas y formularios.',
      ar: 'مساعدة فردية في قراءة الرسائل والنماذج.',
    },
    [18, null],
    ['adults'],
  ),
  t(
    'reading',
    'families-communities',
    {
      en: 'Family story time',
      es: 'Hora del cuento en familia',
      fr: 'Heure du conte en famille',
      ar: 'ساعة الحكايات العائلية',
      zh: '亲子故事会',
    },
    {
      en: 'Stories, songs and rhymes for little ones and their grown-ups.',
      es: 'Cuentos, canciones y rimas para los más pequeños.',
      fr: 'Contes, chansons et comptines pour les petits.',
      ar: 'قصص وأغان للصغار وأهلهم.',
    },
    [0, 5],
    ['families', 'children'],
  ),
  t(
    'cooking',
    'families-communities',
    {
      en: 'Healthy cooking on a budget',
      es: 'Cocina saludable y económica',
      fr: 'Cuisine saine et économique',
      ru: 'Здоровая кухня без больших затрат',
    },
    {
      en: 'Cook three simple, healthy dishes and take the recipes home.',
      es: 'Cocina tres platos sencillos y saludables.',
      fr: 'Cuisinez trois plats simples et sains.',
    },
    [14, null],
    ['families', 'adults'],
  ),
  t(
    'gardening',
    'families-communities',
    { en: 'Community gardening', es: 'Huerto comunitario', fr: 'Jardinage communautaire' },
    {
      en: 'Grow vegetables and herbs in raised beds; tools and seeds provided.',
      es: 'Cultiva verduras y hierbas; herramientas incluidas.',
      fr: 'Cultivez légumes et herbes aromatiques.',
    },
    [null, null],
    ['families'],
  ),
  t(
    'parenting',
    'families-communities',
    { en: 'Parenting teenagers', es: 'Crianza de adolescentes', ar: 'تربية المراهقين' },
    {
      en: 'Talk with other parents about school, screens and independence.',
      es: 'Habla con otros padres sobre la escuela y las pantallas.',
    },
    [18, null],
    ['families'],
  ),
  t(
    'chess',
    'families-communities',
    { en: 'Chess club', es: 'Club de ajedrez', ru: 'Шахматный клуб', fr: 'Club d’échecs' },
    {
      en: 'Learn openings and tactics, then play friendly games.',
      es: 'Aprende aperturas y tácticas.',
      ru: 'Дебюты, тактика и дружеские партии.',
    },
    [7, null],
    ['children', 'seniors'],
  ),
  t(
    'jobs',
    'workplace',
    {
      en: 'Job search and CV workshop',
      es: 'Taller de búsqueda de empleo',
      fr: 'Atelier recherche d’emploi',
      ar: 'ورشة البحث عن عمل',
    },
    {
      en: 'Write a CV, prepare for interviews and find openings online with a careers adviser.',
      es: 'Escribe tu currículum y prepárate para entrevistas.',
      fr: 'Rédigez votre CV et préparez vos entretiens.',
    },
    [18, null],
    ['jobseekers'],
  ),
  t(
    'healthcare',
    'workplace',
    { en: 'Introduction to careers in healthcare', es: 'Introducción a carreras de salud' },
    {
      en: 'Meet nurses, technicians and carers and learn the routes into their jobs.',
      es: 'Conoce enfermeras y técnicos y sus trayectorias.',
    },
    [16, null],
    ['young-people', 'jobseekers'],
  ),
  t(
    'forklift',
    'workplace',
    { en: 'Warehouse safety certificate', es: 'Certificado de seguridad en almacenes' },
    {
      en: 'Forklift safety, lifting and first aid, with a certificate at the end.',
      es: 'Seguridad con montacargas y primeros auxilios.',
    },
    [18, null],
    ['jobseekers'],
  ),
  t(
    'finance',
    'workplace',
    { en: 'Money management for small businesses', es: 'Finanzas para pequeños negocios', zh: '小企业理财' },
    {
      en: 'Bookkeeping, taxes and cash flow for small business owners.',
      es: 'Contabilidad, impuestos y flujo de caja.',
      zh: '记账、税务和现金流。',
    },
    [18, null],
    ['adults'],
  ),
  t(
    'excel',
    'workplace',
    { en: 'Spreadsheets at work', es: 'Hojas de cálculo en el trabajo', fr: 'Tableurs au travail' },
    {
      en: 'Formulas, charts and pivot tables for everyday office tasks.',
      es: 'Fórmulas, gráficos y tablas dinámicas.',
    },
    [16, null],
    ['adults', 'jobseekers'],
  ),
  t(
    'tutoring',
    'quality',
    { en: 'Homework help', es: 'Ayuda con las tareas', zh: '作业辅导', ar: 'المساعدة في الواجبات' },
    {
      en: 'Volunteer tutors help with math, reading and science homework.',
      es: 'Tutores voluntarios ayudan con matemáticas y lectura.',
      zh: '志愿者辅导数学和阅读作业。',
    },
    [6, 15],
    ['children'],
  ),
  t(
    'teaching',
    'quality',
    { en: 'Volunteer tutor training', es: 'Formación de tutores voluntarios' },
    {
      en: 'How to support a learner, plan a session and give feedback.',
      es: 'Cómo apoyar a un estudiante y planificar una sesión.',
    },
    [18, null],
    ['adults'],
  ),
  t(
    'math',
    'quality',
    {
      en: 'Math games for curious kids',
      es: 'Juegos de matemáticas',
      fr: 'Jeux mathématiques',
      ru: 'Математические игры',
    },
    {
      en: 'Puzzles, patterns and games that make numbers fun.',
      es: 'Acertijos y juegos con números.',
      ru: 'Головоломки и игры с числами.',
    },
    [6, 12],
    ['children'],
  ),
  t(
    'art',
    'culture-of-learning',
    {
      en: 'Watercolour for beginners',
      es: 'Acuarela para principiantes',
      fr: 'Aquarelle pour débutants',
      zh: '水彩画入门',
    },
    {
      en: 'Mix colours, paint washes and finish a small landscape.',
      es: 'Mezcla colores y pinta un paisaje.',
      fr: 'Mélangez les couleurs et peignez un paysage.',
    },
    [12, null],
    ['adults', 'seniors'],
  ),
  t(
    'pottery',
    'culture-of-learning',
    {
      en: 'Pottery: throw your first pots',
      es: 'Cerámica: tus primeras piezas',
      fr: 'Poterie : vos premiers pots',
    },
    {
      en: 'Centre clay on the wheel, throw a bowl and learn about glazing.',
      es: 'Centra el barro en el torno y aprende a esmaltar.',
      fr: 'Centrez l’argile sur le tour et émaillez.',
    },
    [14, null],
    ['adults'],
  ),
  t(
    'history',
    'culture-of-learning',
    {
      en: 'Neighbourhood history walk',
      es: 'Paseo histórico por el barrio',
      fr: 'Promenade historique du quartier',
    },
    {
      en: 'Walk the streets with a local historian and hear the stories of the buildings.',
      es: 'Recorre las calles con un historiador local.',
    },
    [null, null],
    ['families', 'seniors'],
  ),
  t(
    'music',
    'culture-of-learning',
    {
      en: 'Learn the guitar',
      es: 'Aprende a tocar la guitarra',
      fr: 'Apprendre la guitare',
      ru: 'Уроки гитары',
      zh: '吉他入门',
    },
    {
      en: 'Chords, strumming and your first songs; guitars can be borrowed.',
      es: 'Acordes, rasgueo y tus primeras canciones.',
      ru: 'Аккорды, бой и первые песни.',
    },
    [10, null],
    ['young-people', 'adults'],
  ),
  t(
    'photography',
    'culture-of-learning',
    { en: 'Photography walk', es: 'Paseo fotográfico', fr: 'Balade photo' },
    {
      en: 'Composition, light and editing with the phone in your pocket.',
      es: 'Composición, luz y edición con tu teléfono.',
    },
    [12, null],
    ['adults'],
  ),
  t(
    'dance',
    'culture-of-learning',
    { en: 'Salsa and bachata', es: 'Salsa y bachata', fr: 'Salsa et bachata' },
    { en: 'Basic steps and turns; no partner needed.', es: 'Pasos básicos y vueltas; no necesitas pareja.' },
    [16, null],
    ['adults'],
  ),
  t(
    'science',
    'culture-of-learning',
    {
      en: 'Science night for families',
      es: 'Noche de ciencia en familia',
      fr: 'Soirée scientifique en famille',
      zh: '家庭科学之夜',
    },
    {
      en: 'Experiments with magnets, slime and stars for the whole family.',
      es: 'Experimentos con imanes y estrellas para toda la familia.',
      zh: '全家一起做磁铁和星空实验。',
    },
    [5, null],
    ['families'],
  ),
  t(
    'astronomy',
    'culture-of-learning',
    { en: 'Stargazing and astronomy', es: 'Observación de estrellas', ru: 'Астрономия для всех' },
    {
      en: 'Find planets and constellations through the telescope.',
      es: 'Encuentra planetas y constelaciones.',
      ru: 'Планеты и созвездия в телескоп.',
    },
    [8, null],
    ['families'],
  ),
  t(
    'yoga',
    'families-communities',
    { en: 'Chair yoga and stretching', es: 'Yoga en silla', ar: 'اليوغا على الكرسي' },
    {
      en: 'Gentle movement and breathing for all abilities.',
      es: 'Movimiento suave y respiración para todos.',
    },
    [50, null],
    ['seniors'],
  ),
  t(
    'first aid',
    'workplace',
    { en: 'First aid and CPR', es: 'Primeros auxilios y RCP', fr: 'Premiers secours', ru: 'Первая помощь' },
    {
      en: 'Learn CPR, the recovery position and how to use a defibrillator.',
      es: 'Aprende RCP y el uso del desfibrilador.',
      ru: 'Сердечно-лёгочная реанимация и дефибриллятор.',
    },
    [14, null],
    ['adults'],
  ),
  t(
    'climate',
    'culture-of-learning',
    { en: 'Climate action at home', es: 'Acción climática en casa', fr: 'Agir pour le climat chez soi' },
    {
      en: 'Save energy, cut waste and start a repair café on your block.',
      es: 'Ahorra energía y reduce residuos.',
      fr: 'Économisez l’énergie et réduisez les déchets.',
    },
    [12, null],
    ['families', 'adults'],
  ),
  t(
    'writing',
    'culture-of-learning',
    {
      en: 'Creative writing circle',
      es: 'Taller de escritura creativa',
      fr: 'Atelier d’écriture',
      ar: 'حلقة الكتابة الإبداعية',
    },
    {
      en: 'Short prompts, poems and stories, read aloud if you like.',
      es: 'Poemas y relatos, leídos en voz alta.',
      fr: 'Poèmes et récits, lus à voix haute.',
    },
    [14, null],
    ['adults'],
  ),
  t(
    'sewing',
    'families-communities',
    { en: 'Sewing and mending', es: 'Costura y arreglos', ru: 'Шитьё и ремонт одежды' },
    {
      en: 'Fix a hem, sew on buttons and use a sewing machine.',
      es: 'Arregla dobladillos y usa la máquina de coser.',
    },
    [12, null],
    ['adults'],
  ),
]

export const LEVELS: Text[] = [
  {
    en: 'for beginners',
    es: 'para principiantes',
    fr: 'pour débutants',
    zh: '初级',
    ar: 'للمبتدئين',
    ru: 'для начинающих',
  },
  {
    en: 'next steps',
    es: 'siguiente nivel',
    fr: 'niveau suivant',
    zh: '进阶',
    ar: 'المستوى التالي',
    ru: 'следующий уровень',
  },
  {
    en: 'drop-in',
    es: 'entrada libre',
    fr: 'accès libre',
    zh: '随到随学',
    ar: 'حضور حر',
    ru: 'свободное посещение',
  },
  { en: 'intensive', es: 'intensivo', fr: 'intensif', zh: '强化班', ar: 'مكثف', ru: 'интенсив' },
  {
    en: 'for teens',
    es: 'para adolescentes',
    fr: 'pour ados',
    zh: '青少年班',
    ar: 'للمراهقين',
    ru: 'для подростков',
  },
  {
    en: 'for seniors',
    es: 'para mayores',
    fr: 'pour seniors',
    zh: '长者班',
    ar: 'لكبار السن',
    ru: 'для пожилых',
  },
  {
    en: 'weekend course',
    es: 'curso de fin de semana',
    fr: 'stage du week-end',
    zh: '周末课程',
    ar: 'دورة نهاية الأسبوع',
    ru: 'курс выходного дня',
  },
  {
    en: 'evening class',
    es: 'clase nocturna',
    fr: 'cours du soir',
    zh: '晚间课程',
    ar: 'درس مسائي',
    ru: 'вечерний класс',
  },
]

/** Sentences any description may end with. */
export const CLOSINGS: Text[] = [
  {
    en: 'Bring a friend; no experience needed.',
    es: 'Trae a un amigo; no se necesita experiencia.',
    fr: 'Venez avec un ami ; aucune expérience requise.',
    zh: '欢迎带朋友来，无需经验。',
    ar: 'أحضر صديقًا؛ لا حاجة إلى خبرة.',
    ru: 'Приходите с другом; опыт не нужен.',
  },
  {
    en: 'Everything you need is provided.',
    es: 'Se proporciona todo el material.',
    fr: 'Tout le matériel est fourni.',
    zh: '提供所有材料。',
    ar: 'نوفر كل ما تحتاجه.',
    ru: 'Все материалы предоставляются.',
  },
  {
    en: 'Snacks and childcare on request.',
    es: 'Merienda y cuidado de niños bajo petición.',
    fr: 'Goûter et garde d’enfants sur demande.',
    zh: '可提供点心和托儿服务。',
    ar: 'وجبات خفيفة ورعاية أطفال عند الطلب.',
    ru: 'Угощение и присмотр за детьми по запросу.',
  },
  {
    en: 'Certificate of attendance at the end.',
    es: 'Certificado de asistencia al final.',
    fr: 'Attestation de présence à la fin.',
    zh: '结业颁发证书。',
    ar: 'شهادة حضور في النهاية.',
    ru: 'Сертификат об участии в конце.',
  },
  {
    en: 'Meet neighbours and learn together.',
    es: 'Conoce a tus vecinos y aprende en compañía.',
    fr: 'Rencontrez vos voisins et apprenez ensemble.',
    zh: '结识邻居，一起学习。',
    ar: 'تعرّف على جيرانك وتعلّم معهم.',
    ru: 'Знакомьтесь с соседями и учитесь вместе.',
  },
]

/** Provider kinds: sector and how names are made from a district's name. */
export const PROVIDER_KINDS: { sector: string; name: (place: string, i: number) => string }[] = [
  { sector: 'library', name: (p) => `${p} Library Learning Hub` },
  { sector: 'school', name: (p) => `${p} Community Classes` },
  { sector: 'museum', name: (p, i) => `${p} Heritage Museum ${i}` },
  { sector: 'employer', name: (p, i) => `${p} Skills Academy ${i}` },
  { sector: 'community', name: (p) => `${p} Neighbours Learning Circle` },
  { sector: 'university', name: (p, i) => `City College Extension ${p} ${i}` },
  { sector: 'public-service', name: (p) => `${p} Park District Programs` },
  { sector: 'online', name: (_p, i) => `Open Online Classroom ${i}` },
]
