import type { Translated } from '../../platform/db/columns.ts'
import { BUILDING_BLOCKS } from '../opportunities/index.ts'
import { ACTION_AREAS, type ResourceLink, type ResourceType, type Topic } from './model.ts'

/**
 * The hub's network-wide starting library: every resource named in "Exploring Resources on Learning
 * Cities — A Beginning" (Coalition of Lifelong Learning Organizations, July 2020). URLs are the ones that
 * list gives. Where it names a resource without an address of its own, the link is the page the list
 * says describes it (`described-at`), never a guessed address. The list states no languages, so every
 * `languages` is empty (unknown); a year is given only where the list states it. Summaries are ours.
 */
export interface SeedResource {
  key: string
  type: ResourceType
  title: Translated
  summary: Translated
  links: ResourceLink[]
  publisher: string
  year: number | null
  languages: string[]
  topics: Topic[]
  /** Key of the series or set this is a part of, and its place in it. */
  parent?: string
  position?: number
}

export const LIFEWIDE = 'https://www.lifewideeducation.uk/'
export const LIFEWIDE_ABOUT = 'https://www.lifewideeducation.uk/about.html'
export const LIFEWIDE_ARTICLE = 'https://www.lifewideeducation.uk/learning-cities.html'
export const GNLC = 'https://uil.unesco.org/lifelong-learning/learning-cities'
export const WEBINAR_SERIES =
  'https://uil.unesco.org/event/new-webinar-series-learning-cities-covid-19-recovery-research-practice'
export const INTERVIEW_SERIES = 'https://uil.unesco.org/unesco-learning-cities-response-covid-19'

const self = (url: string): ResourceLink => ({ url, rel: 'self' })
const describedAt = (url: string): ResourceLink => ({ url, rel: 'described-at' })
const GNLC_PUBLISHER = 'UNESCO Global Network of Learning Cities'

const base: SeedResource[] = [
  {
    key: 'lifewide-education',
    type: 'website',
    title: {
      en: 'Lifewide Education',
      fr: 'Lifewide Education',
      es: 'Lifewide Education',
      ru: 'Lifewide Education',
      ar: 'Lifewide Education (التعليم على امتداد الحياة)',
      zh: 'Lifewide Education（全方位教育）',
    },
    summary: {
      en: 'A not-for-profit company and global community that promotes lifewide learning — learning in every part of life, not only in school — and helps people and organisations put it into practice. It publishes blogs, resources and a newsletter.',
      fr: 'Une entreprise à but non lucratif et une communauté mondiale qui promeut l’apprentissage dans toutes les sphères de la vie, pas seulement à l’école, et aide les personnes et les organisations à le mettre en pratique. Elle publie des blogs, des ressources et une lettre d’information.',
      es: 'Una empresa sin ánimo de lucro y comunidad mundial que promueve el aprendizaje en todos los ámbitos de la vida, no solo en la escuela, y ayuda a personas y organizaciones a ponerlo en práctica. Publica blogs, recursos y un boletín.',
      ru: 'Некоммерческая компания и международное сообщество, продвигающие обучение во всех сферах жизни, а не только в школе, и помогающие людям и организациям применять эту идею. Публикует блоги, материалы и рассылку.',
      ar: 'شركة غير ربحية ومجتمع عالمي يروّج للتعلم في جميع جوانب الحياة، لا في المدرسة وحدها، ويساعد الأفراد والمنظمات على تطبيقه. تنشر مدونات وموارد ونشرة إخبارية.',
      zh: '一家非营利公司和全球社群，倡导全方位学习——在生活的各个方面学习，而不只是在学校——并帮助个人和机构付诸实践。发布博客、资源和通讯。',
    },
    links: [self(LIFEWIDE), self(LIFEWIDE_ABOUT)],
    publisher: 'Lifewide Education',
    year: null,
    languages: [],
    topics: ['lifewide-learning'],
  },
  {
    key: 'lifewide-learning-cities-article',
    type: 'research',
    title: { en: 'Learning Cities: ecosystems for lifewide-lifelong learning' },
    summary: {
      en: 'An article that sees the city as an ecosystem full of chances to learn, argues that lifewide education belongs in building learning cities, and gathers reports on their history, the UNESCO network and award, Cities of Learning, LRNG and a European vision for 2030.',
      fr: 'Un article qui voit la ville comme un écosystème riche en occasions d’apprendre, défend la place de l’éducation tout au long et dans toutes les sphères de la vie dans la construction des villes apprenantes, et réunit des rapports sur leur histoire, le réseau et le prix de l’UNESCO, les Cities of Learning, LRNG et une vision européenne pour 2030.',
      es: 'Un artículo que ve la ciudad como un ecosistema lleno de oportunidades de aprender, defiende el papel de la educación en todos los ámbitos de la vida en la construcción de ciudades del aprendizaje y reúne informes sobre su historia, la red y el premio de la UNESCO, las Cities of Learning, LRNG y una visión europea para 2030.',
      ru: 'Статья, в которой город рассматривается как экосистема с множеством возможностей для обучения. Авторы показывают роль обучения во всех сферах жизни в создании обучающихся городов и собирают материалы об их истории, сети и премии ЮНЕСКО, Cities of Learning, LRNG и европейском видении обучения до 2030 года.',
      ar: 'مقال يرى المدينة نظامًا بيئيًا غنيًا بفرص التعلم، ويبيّن دور التعليم على امتداد الحياة في بناء مدن التعلم، ويجمع تقارير عن تاريخها وشبكة اليونسكو وجائزتها ومبادرة Cities of Learning وLRNG ورؤية أوروبية للتعلم في عام 2030.',
      zh: '一篇文章，把城市看作充满学习机会的生态系统，阐述全方位教育在建设学习型城市中的作用，并汇集了关于学习型城市历史、联合国教科文组织网络与奖项、“学习之城”、LRNG 以及欧洲2030年学习愿景的报告。',
    },
    links: [self(LIFEWIDE_ARTICLE)],
    publisher: 'Lifewide Education',
    year: null,
    languages: [],
    topics: ['lifewide-learning', 'history-of-learning-cities', 'cities-of-learning'],
  },
  {
    key: 'uk-learning-cities-network',
    type: 'network',
    title: {
      en: 'UK Learning Cities Network',
      fr: 'Réseau britannique des villes apprenantes (UK Learning Cities Network)',
      es: 'Red de Ciudades del Aprendizaje del Reino Unido (UK Learning Cities Network)',
      ru: 'Британская сеть обучающихся городов (UK Learning Cities Network)',
      ar: 'شبكة مدن التعلم في المملكة المتحدة (UK Learning Cities Network)',
      zh: '英国学习型城市网络（UK Learning Cities Network）',
    },
    summary: {
      en: 'A network of learning cities in the United Kingdom, part of the history of the learning-city movement. The Lifewide Education article on learning cities describes it.',
      fr: 'Un réseau de villes apprenantes au Royaume-Uni, qui fait partie de l’histoire du mouvement des villes apprenantes. L’article de Lifewide Education sur les villes apprenantes le présente.',
      es: 'Una red de ciudades del aprendizaje del Reino Unido, parte de la historia del movimiento. El artículo de Lifewide Education sobre ciudades del aprendizaje la describe.',
      ru: 'Сеть обучающихся городов Великобритании, часть истории движения обучающихся городов. Её описывает статья Lifewide Education об обучающихся городах.',
      ar: 'شبكة لمدن التعلم في المملكة المتحدة، وهي جزء من تاريخ حركة مدن التعلم. يصفها مقال Lifewide Education عن مدن التعلم.',
      zh: '英国的学习型城市网络，是学习型城市运动历史的一部分。Lifewide Education 关于学习型城市的文章对其有介绍。',
    },
    links: [describedAt(LIFEWIDE_ARTICLE)],
    publisher: '',
    year: null,
    languages: [],
    topics: ['history-of-learning-cities'],
  },
  {
    key: 'unesco-gnlc',
    type: 'network',
    title: {
      en: 'UNESCO Global Network of Learning Cities',
      fr: 'Réseau mondial des villes apprenantes de l’UNESCO',
      es: 'Red Mundial de Ciudades del Aprendizaje de la UNESCO',
      ru: 'Глобальная сеть обучающихся городов ЮНЕСКО',
      ar: 'شبكة اليونسكو العالمية لمدن التعلم',
      zh: '联合国教科文组织全球学习型城市网络',
    },
    summary: {
      en: 'An international, policy-oriented network of member cities that share ideas, know-how and good practice. It supports policy dialogue and peer learning, builds partnerships and capacity, and offers tools that encourage and recognise progress in building learning cities.',
      fr: 'Un réseau international de villes membres, tourné vers les politiques publiques, qui partagent idées, savoir-faire et bonnes pratiques. Il soutient le dialogue politique et l’apprentissage entre pairs, noue des partenariats, renforce les capacités et propose des outils qui encouragent et reconnaissent les progrès.',
      es: 'Una red internacional de ciudades miembro, orientada a las políticas, que comparten ideas, conocimientos y buenas prácticas. Apoya el diálogo político y el aprendizaje entre pares, crea alianzas y capacidades, y ofrece herramientas que estimulan y reconocen los avances.',
      ru: 'Международная сеть городов-участников, ориентированная на политику, где обмениваются идеями, опытом и лучшими практиками. Она поддерживает диалог по вопросам политики и взаимное обучение, развивает партнёрства и потенциал и предлагает инструменты, поощряющие и отмечающие успехи.',
      ar: 'شبكة دولية موجّهة نحو السياسات تضم مدنًا أعضاء تتبادل الأفكار والخبرات والممارسات الجيدة. تدعم الحوار بشأن السياسات والتعلم بين الأقران، وتبني الشراكات والقدرات، وتقدم أدوات تشجع التقدم في بناء مدن التعلم وتعترف به.',
      zh: '一个面向政策的国际网络，成员城市在此分享理念、经验和良好做法。它支持政策对话和同伴学习，建立伙伴关系、开展能力建设，并提供鼓励和表彰学习型城市建设进展的工具。',
    },
    links: [self(GNLC)],
    publisher: GNLC_PUBLISHER,
    year: null,
    languages: [],
    // The 2020 list quotes UNESCO's definition (the six building blocks) from the network's site.
    topics: ['history-of-learning-cities', 'planning', 'monitoring-evaluation', ...BUILDING_BLOCKS],
  },
  {
    key: 'american-cities-of-learning',
    type: 'network',
    title: {
      en: 'American Cities of Learning',
      fr: 'Cities of Learning aux États-Unis',
      es: 'Cities of Learning en Estados Unidos',
      ru: 'Cities of Learning в США',
      ar: 'مدن التعلم الأمريكية (American Cities of Learning)',
      zh: '美国“学习之城”（American Cities of Learning）',
    },
    summary: {
      en: 'The Cities of Learning movement in the United States, which links learning opportunities across a city so that young people can find them and earn recognition for what they learn. Described in the Lifewide Education article on learning cities.',
      fr: 'Le mouvement Cities of Learning aux États-Unis, qui relie les occasions d’apprendre d’une ville pour que les jeunes les trouvent et voient reconnu ce qu’ils apprennent. Présenté dans l’article de Lifewide Education sur les villes apprenantes.',
      es: 'El movimiento Cities of Learning en Estados Unidos, que conecta las oportunidades de aprendizaje de una ciudad para que los jóvenes las encuentren y obtengan reconocimiento por lo que aprenden. Descrito en el artículo de Lifewide Education sobre ciudades del aprendizaje.',
      ru: 'Движение Cities of Learning в США, которое объединяет возможности для обучения в городе, чтобы молодёжь могла их найти и получить признание за освоенное. Описано в статье Lifewide Education об обучающихся городах.',
      ar: 'حركة Cities of Learning في الولايات المتحدة، التي تربط فرص التعلم في المدينة ليجدها الشباب وينالوا اعترافًا بما يتعلمونه. يصفها مقال Lifewide Education عن مدن التعلم.',
      zh: '美国的“学习之城”运动，把城市中的学习机会连接起来，让年轻人能够找到它们，并让所学得到认可。Lifewide Education 关于学习型城市的文章对此有介绍。',
    },
    links: [describedAt(LIFEWIDE_ARTICLE)],
    publisher: '',
    year: null,
    languages: [],
    topics: ['history-of-learning-cities', 'cities-of-learning'],
  },
  {
    key: 'uk-cities-of-learning',
    type: 'network',
    title: {
      en: 'UK Cities of Learning',
      fr: 'Cities of Learning au Royaume-Uni',
      es: 'Cities of Learning en el Reino Unido',
      ru: 'Cities of Learning в Великобритании',
      ar: 'مدن التعلم في المملكة المتحدة (UK Cities of Learning)',
      zh: '英国“学习之城”（UK Cities of Learning）',
    },
    summary: {
      en: 'The Cities of Learning approach as taken up by cities in the United Kingdom. Described in the Lifewide Education article on learning cities.',
      fr: 'L’approche Cities of Learning telle que l’ont adoptée des villes du Royaume-Uni. Présentée dans l’article de Lifewide Education sur les villes apprenantes.',
      es: 'El enfoque Cities of Learning tal como lo adoptaron ciudades del Reino Unido. Descrito en el artículo de Lifewide Education sobre ciudades del aprendizaje.',
      ru: 'Подход Cities of Learning в городах Великобритании. Описан в статье Lifewide Education об обучающихся городах.',
      ar: 'نهج Cities of Learning كما طبّقته مدن في المملكة المتحدة. يصفه مقال Lifewide Education عن مدن التعلم.',
      zh: '英国城市采用的“学习之城”做法。Lifewide Education 关于学习型城市的文章对此有介绍。',
    },
    links: [describedAt(LIFEWIDE_ARTICLE)],
    publisher: '',
    year: null,
    languages: [],
    topics: ['history-of-learning-cities', 'cities-of-learning'],
  },
  {
    key: 'unesco-learning-city-award',
    type: 'award',
    title: {
      en: 'UNESCO Learning City Award',
      fr: 'Prix UNESCO de la ville apprenante',
      es: 'Premio UNESCO Ciudad del Aprendizaje',
      ru: 'Премия ЮНЕСКО «Обучающийся город»',
      ar: 'جائزة اليونسكو لمدن التعلم',
      zh: '联合国教科文组织学习型城市奖',
    },
    summary: {
      en: 'An award through which UNESCO recognises cities for outstanding progress in building a learning city. Described in the Lifewide Education article on learning cities.',
      fr: 'Un prix par lequel l’UNESCO distingue des villes pour des progrès remarquables dans la construction d’une ville apprenante. Présenté dans l’article de Lifewide Education sur les villes apprenantes.',
      es: 'Un premio con el que la UNESCO reconoce a ciudades por avances destacados en la construcción de una ciudad del aprendizaje. Descrito en el artículo de Lifewide Education sobre ciudades del aprendizaje.',
      ru: 'Премия, которой ЮНЕСКО отмечает города за выдающиеся успехи в создании обучающегося города. Описана в статье Lifewide Education об обучающихся городах.',
      ar: 'جائزة تكرّم بها اليونسكو المدن التي أحرزت تقدمًا بارزًا في بناء مدينة تعلم. يصفها مقال Lifewide Education عن مدن التعلم.',
      zh: '联合国教科文组织用以表彰在建设学习型城市方面取得突出进展的城市的奖项。Lifewide Education 关于学习型城市的文章对此有介绍。',
    },
    links: [describedAt(LIFEWIDE_ARTICLE)],
    publisher: 'UNESCO',
    year: null,
    languages: [],
    topics: ['celebration', 'monitoring-evaluation'],
  },
  {
    key: 'chicago-summer-of-learning',
    type: 'case-study',
    title: {
      en: 'Chicago Summer of Learning',
      fr: 'Chicago Summer of Learning (l’été de l’apprentissage à Chicago)',
      es: 'Chicago Summer of Learning (verano del aprendizaje en Chicago)',
      ru: 'Chicago Summer of Learning («Лето обучения» в Чикаго)',
      ar: 'صيف التعلم في شيكاغو (Chicago Summer of Learning)',
      zh: '芝加哥学习之夏（Chicago Summer of Learning）',
    },
    summary: {
      en: 'Chicago’s citywide summer programme that gathered learning activities from many organisations in one place for young people — the example the Lifewide Education article gives of a City of Learning.',
      fr: 'Le programme d’été de Chicago qui a réuni en un seul endroit, pour les jeunes, les activités d’apprentissage de nombreuses organisations — l’exemple de City of Learning donné par l’article de Lifewide Education.',
      es: 'El programa de verano de toda la ciudad de Chicago que reunió en un solo lugar, para los jóvenes, actividades de aprendizaje de muchas organizaciones: el ejemplo de City of Learning que da el artículo de Lifewide Education.',
      ru: 'Общегородская летняя программа Чикаго, собравшая в одном месте занятия многих организаций для молодёжи, — пример City of Learning из статьи Lifewide Education.',
      ar: 'برنامج صيفي على مستوى مدينة شيكاغو جمع في مكان واحد أنشطة تعلم من منظمات كثيرة للشباب، وهو المثال الذي يقدمه مقال Lifewide Education على مدينة التعلم.',
      zh: '芝加哥面向年轻人的全市暑期项目，把众多机构的学习活动集中在一处——Lifewide Education 文章中“学习之城”的例子。',
    },
    links: [describedAt(LIFEWIDE_ARTICLE)],
    publisher: '',
    year: null,
    languages: [],
    topics: ['cities-of-learning', 'celebration', 'accessibility'],
  },
  {
    key: 'lrng',
    type: 'network',
    title: {
      en: 'LRNG',
      fr: 'LRNG (initiative américaine pour l’apprentissage)',
      es: 'LRNG (iniciativa estadounidense de aprendizaje)',
      ru: 'LRNG (американская инициатива в сфере обучения)',
      ar: 'LRNG (مبادرة أمريكية للتعلم)',
      zh: 'LRNG（美国学习倡议）',
    },
    summary: {
      en: 'A learning initiative in the United States connected with the Cities of Learning movement. Described in the Lifewide Education article on learning cities.',
      fr: 'Une initiative d’apprentissage aux États-Unis liée au mouvement Cities of Learning. Présentée dans l’article de Lifewide Education sur les villes apprenantes.',
      es: 'Una iniciativa de aprendizaje de Estados Unidos vinculada al movimiento Cities of Learning. Descrita en el artículo de Lifewide Education sobre ciudades del aprendizaje.',
      ru: 'Инициатива в сфере обучения в США, связанная с движением Cities of Learning. Описана в статье Lifewide Education об обучающихся городах.',
      ar: 'مبادرة تعلم في الولايات المتحدة مرتبطة بحركة Cities of Learning. يصفها مقال Lifewide Education عن مدن التعلم.',
      zh: '美国的一项学习倡议，与“学习之城”运动相关。Lifewide Education 关于学习型城市的文章对此有介绍。',
    },
    links: [describedAt(LIFEWIDE_ARTICLE)],
    publisher: '',
    year: null,
    languages: [],
    topics: ['cities-of-learning'],
  },
  {
    key: 'european-vision-learning-2030',
    type: 'policy',
    title: {
      en: 'A European vision of learning in 2030',
      fr: 'Une vision européenne de l’apprentissage en 2030',
      es: 'Una visión europea del aprendizaje en 2030',
      ru: 'Европейское видение обучения в 2030 году',
      ar: 'رؤية أوروبية للتعلم في عام 2030',
      zh: '欧洲2030年学习愿景',
    },
    summary: {
      en: 'A view of how learning in Europe could look by 2030, covered in the Lifewide Education article on learning cities.',
      fr: 'Un regard sur ce que pourrait être l’apprentissage en Europe d’ici 2030, traité dans l’article de Lifewide Education sur les villes apprenantes.',
      es: 'Una mirada a cómo podría ser el aprendizaje en Europa hacia 2030, tratada en el artículo de Lifewide Education sobre ciudades del aprendizaje.',
      ru: 'Взгляд на то, каким может стать обучение в Европе к 2030 году; рассматривается в статье Lifewide Education об обучающихся городах.',
      ar: 'تصوّر لما قد يكون عليه التعلم في أوروبا بحلول عام 2030، يتناوله مقال Lifewide Education عن مدن التعلم.',
      zh: '关于2030年欧洲学习图景的设想，Lifewide Education 关于学习型城市的文章对此有论述。',
    },
    links: [describedAt(LIFEWIDE_ARTICLE)],
    publisher: '',
    year: null,
    languages: [],
    topics: ['planning', 'lifewide-learning'],
  },
  {
    key: 'gnlc-guiding-documents',
    type: 'policy',
    title: {
      en: 'UNESCO GNLC guiding documents',
      fr: 'Documents d’orientation du GNLC de l’UNESCO',
      es: 'Documentos orientadores de la GNLC de la UNESCO',
      ru: 'Руководящие документы GNLC ЮНЕСКО',
      ar: 'الوثائق التوجيهية لشبكة اليونسكو العالمية لمدن التعلم',
      zh: '联合国教科文组织全球学习型城市网络指导文件',
    },
    summary: {
      en: 'The documents that set out what the UNESCO Global Network of Learning Cities stands for and how member cities work, on the network’s website.',
      fr: 'Les documents qui exposent ce que défend le Réseau mondial des villes apprenantes de l’UNESCO et comment travaillent ses villes membres, sur le site du réseau.',
      es: 'Los documentos que exponen lo que defiende la Red Mundial de Ciudades del Aprendizaje de la UNESCO y cómo trabajan sus ciudades miembro, en el sitio web de la red.',
      ru: 'Документы, излагающие принципы Глобальной сети обучающихся городов ЮНЕСКО и порядок работы городов-участников, на сайте сети.',
      ar: 'الوثائق التي تحدد مبادئ شبكة اليونسكو العالمية لمدن التعلم وطريقة عمل المدن الأعضاء، على موقع الشبكة.',
      zh: '阐明联合国教科文组织全球学习型城市网络宗旨及成员城市工作方式的文件，见网络网站。',
    },
    links: [describedAt(GNLC)],
    publisher: GNLC_PUBLISHER,
    year: null,
    languages: [],
    topics: ['planning', ...BUILDING_BLOCKS],
  },
  {
    key: 'gnlc-policy-research',
    type: 'research',
    title: {
      en: 'UNESCO GNLC policy and research',
      fr: 'Politiques et recherche du GNLC de l’UNESCO',
      es: 'Políticas e investigación de la GNLC de la UNESCO',
      ru: 'Политика и исследования GNLC ЮНЕСКО',
      ar: 'السياسات والبحوث في شبكة اليونسكو العالمية لمدن التعلم',
      zh: '联合国教科文组织全球学习型城市网络政策与研究',
    },
    summary: {
      en: 'Policy papers and research on lifelong learning in cities, published on the UNESCO Global Network of Learning Cities website.',
      fr: 'Notes de politique et travaux de recherche sur l’apprentissage tout au long de la vie dans les villes, publiés sur le site du Réseau mondial des villes apprenantes de l’UNESCO.',
      es: 'Documentos de política e investigaciones sobre el aprendizaje a lo largo de la vida en las ciudades, publicados en el sitio de la Red Mundial de Ciudades del Aprendizaje de la UNESCO.',
      ru: 'Аналитические документы и исследования об обучении на протяжении всей жизни в городах на сайте Глобальной сети обучающихся городов ЮНЕСКО.',
      ar: 'أوراق سياسات وبحوث عن التعلم مدى الحياة في المدن، منشورة على موقع شبكة اليونسكو العالمية لمدن التعلم.',
      zh: '关于城市终身学习的政策文件和研究，发布在联合国教科文组织全球学习型城市网络网站上。',
    },
    links: [describedAt(GNLC)],
    publisher: GNLC_PUBLISHER,
    year: null,
    languages: [],
    topics: ['planning', 'monitoring-evaluation'],
  },
  {
    key: 'gnlc-conference-reports',
    type: 'conference-report',
    title: {
      en: 'UNESCO GNLC conference reports',
      fr: 'Rapports des conférences du GNLC de l’UNESCO',
      es: 'Informes de las conferencias de la GNLC de la UNESCO',
      ru: 'Отчёты о конференциях GNLC ЮНЕСКО',
      ar: 'تقارير مؤتمرات شبكة اليونسكو العالمية لمدن التعلم',
      zh: '联合国教科文组织全球学习型城市网络会议报告',
    },
    summary: {
      en: 'Reports from the network’s conferences, where member cities share what they have learned, on the UNESCO Global Network of Learning Cities website.',
      fr: 'Les rapports des conférences du réseau, où les villes membres partagent leurs enseignements, sur le site du Réseau mondial des villes apprenantes de l’UNESCO.',
      es: 'Informes de las conferencias de la red, donde las ciudades miembro comparten lo aprendido, en el sitio de la Red Mundial de Ciudades del Aprendizaje de la UNESCO.',
      ru: 'Отчёты о конференциях сети, на которых города-участники делятся опытом, на сайте Глобальной сети обучающихся городов ЮНЕСКО.',
      ar: 'تقارير مؤتمرات الشبكة التي تتبادل فيها المدن الأعضاء خبراتها، على موقع شبكة اليونسكو العالمية لمدن التعلم.',
      zh: '网络会议的报告，成员城市在会上分享经验，见联合国教科文组织全球学习型城市网络网站。',
    },
    links: [describedAt(GNLC)],
    publisher: GNLC_PUBLISHER,
    year: null,
    languages: [],
    topics: ['involvement', 'monitoring-evaluation'],
  },
  {
    key: 'gnlc-videos',
    type: 'video',
    title: {
      en: 'UNESCO GNLC videos',
      fr: 'Vidéos du GNLC de l’UNESCO',
      es: 'Vídeos de la GNLC de la UNESCO',
      ru: 'Видеоматериалы GNLC ЮНЕСКО',
      ar: 'مقاطع فيديو شبكة اليونسكو العالمية لمدن التعلم',
      zh: '联合国教科文组织全球学习型城市网络视频',
    },
    summary: {
      en: 'Videos about learning cities and the network’s work, on the UNESCO Global Network of Learning Cities website.',
      fr: 'Des vidéos sur les villes apprenantes et le travail du réseau, sur le site du Réseau mondial des villes apprenantes de l’UNESCO.',
      es: 'Vídeos sobre las ciudades del aprendizaje y el trabajo de la red, en el sitio de la Red Mundial de Ciudades del Aprendizaje de la UNESCO.',
      ru: 'Видео об обучающихся городах и работе сети на сайте Глобальной сети обучающихся городов ЮНЕСКО.',
      ar: 'مقاطع فيديو عن مدن التعلم وعمل الشبكة، على موقع شبكة اليونسكو العالمية لمدن التعلم.',
      zh: '关于学习型城市和网络工作的视频，见联合国教科文组织全球学习型城市网络网站。',
    },
    links: [describedAt(GNLC)],
    publisher: GNLC_PUBLISHER,
    year: null,
    languages: [],
    topics: ['involvement'],
  },
  {
    key: 'guidelines-building-learning-cities',
    type: 'guide',
    title: {
      en: 'Guidelines for Building Learning Cities',
      fr: 'Lignes directrices pour la construction de villes apprenantes',
      es: 'Directrices para la construcción de ciudades del aprendizaje',
      ru: 'Руководство по созданию обучающихся городов',
      ar: 'المبادئ التوجيهية لبناء مدن التعلم',
      zh: '建设学习型城市指南',
    },
    summary: {
      en: 'UNESCO’s practical guidance for cities that want to become learning cities, organised in six areas of action: planning, involvement, celebration, accessibility, monitoring and evaluation, and funding.',
      fr: 'Les conseils pratiques de l’UNESCO aux villes qui veulent devenir des villes apprenantes, organisés en six domaines d’action : planification, participation, célébration, accessibilité, suivi et évaluation, financement.',
      es: 'La guía práctica de la UNESCO para las ciudades que quieren ser ciudades del aprendizaje, organizada en seis áreas de acción: planificación, participación, celebración, accesibilidad, seguimiento y evaluación, y financiación.',
      ru: 'Практическое руководство ЮНЕСКО для городов, желающих стать обучающимися, в шести направлениях действий: планирование, вовлечение, празднование, доступность, мониторинг и оценка, финансирование.',
      ar: 'إرشادات اليونسكو العملية للمدن التي تريد أن تصبح مدن تعلم، مرتبة في ستة مجالات عمل: التخطيط، والإشراك، والاحتفاء، وإتاحة الوصول، والرصد والتقييم، والتمويل.',
      zh: '联合国教科文组织为希望成为学习型城市的城市提供的实用指导，分为六个行动领域：规划、参与、庆祝、可及性、监测与评估、资金。',
    },
    links: [describedAt(GNLC)],
    publisher: GNLC_PUBLISHER,
    year: null,
    languages: [],
    topics: [...ACTION_AREAS],
  },
  {
    key: 'guidelines-video-tutorials',
    type: 'video-tutorial',
    title: {
      en: 'Video tutorials on the Guidelines for Building Learning Cities',
      fr: 'Tutoriels vidéo sur les Lignes directrices pour la construction de villes apprenantes',
      es: 'Tutoriales en vídeo sobre las Directrices para la construcción de ciudades del aprendizaje',
      ru: 'Видеоуроки по Руководству по созданию обучающихся городов',
      ar: 'دروس فيديو عن المبادئ التوجيهية لبناء مدن التعلم',
      zh: '《建设学习型城市指南》视频教程',
    },
    summary: {
      en: 'A set of seven video tutorials that help policy-makers, partners, urban planners and lifelong-learning practitioners apply the Guidelines, across planning, involvement, celebration, accessibility, monitoring and evaluation, and funding.',
      fr: 'Une série de sept tutoriels vidéo qui aident décideurs, partenaires, urbanistes et professionnels de l’apprentissage tout au long de la vie à appliquer les Lignes directrices : planification, participation, célébration, accessibilité, suivi et évaluation, financement.',
      es: 'Una serie de siete tutoriales en vídeo que ayudan a responsables políticos, socios, urbanistas y profesionales del aprendizaje a lo largo de la vida a aplicar las Directrices: planificación, participación, celebración, accesibilidad, seguimiento y evaluación, y financiación.',
      ru: 'Набор из семи видеоуроков, которые помогают руководителям, партнёрам, градостроителям и специалистам по непрерывному образованию применять Руководство: планирование, вовлечение, празднование, доступность, мониторинг и оценка, финансирование.',
      ar: 'مجموعة من سبعة دروس فيديو تساعد صانعي السياسات والشركاء ومخططي المدن والعاملين في التعلم مدى الحياة على تطبيق المبادئ التوجيهية: التخطيط، والإشراك، والاحتفاء، وإتاحة الوصول، والرصد والتقييم، والتمويل.',
      zh: '一套七个视频教程，帮助决策者、合作方、城市规划者和终身学习从业者运用《指南》，涵盖规划、参与、庆祝、可及性、监测与评估、资金。',
    },
    links: [describedAt(GNLC)],
    publisher: GNLC_PUBLISHER,
    year: null,
    languages: [],
    topics: [...ACTION_AREAS],
  },
  {
    key: 'covid-19-recovery-webinar-series',
    type: 'webinar-series',
    title: {
      en: 'Learning Cities’ COVID-19 recovery: from research to practice',
      fr: 'La relance des villes apprenantes après la COVID-19 : de la recherche à la pratique',
      es: 'La recuperación de las ciudades del aprendizaje tras la COVID-19: de la investigación a la práctica',
      ru: 'Восстановление обучающихся городов после COVID-19: от исследований к практике',
      ar: 'تعافي مدن التعلم من كوفيد-19: من البحث إلى الممارسة',
      zh: '学习型城市的新冠疫情后复苏：从研究到实践',
    },
    summary: {
      en: 'A 2020 webinar series of the UNESCO Global Network of Learning Cities, with a session each month from June to November, on how learning cities can recover from COVID-19 by putting research into practice.',
      fr: 'Une série de webinaires du Réseau mondial des villes apprenantes de l’UNESCO en 2020, avec une séance par mois de juin à novembre, sur la manière dont les villes apprenantes peuvent se relever de la COVID-19 en mettant la recherche en pratique.',
      es: 'Una serie de seminarios web de la Red Mundial de Ciudades del Aprendizaje de la UNESCO en 2020, con una sesión al mes de junio a noviembre, sobre cómo las ciudades del aprendizaje pueden recuperarse de la COVID-19 llevando la investigación a la práctica.',
      ru: 'Серия вебинаров Глобальной сети обучающихся городов ЮНЕСКО 2020 года, по одному занятию в месяц с июня по ноябрь, о том, как обучающиеся города могут восстановиться после COVID-19, применяя результаты исследований на практике.',
      ar: 'سلسلة ندوات عبر الإنترنت نظمتها شبكة اليونسكو العالمية لمدن التعلم في عام 2020، بجلسة كل شهر من يونيو إلى نوفمبر، عن كيفية تعافي مدن التعلم من كوفيد-19 بتحويل البحث إلى ممارسة.',
      zh: '联合国教科文组织全球学习型城市网络2020年举办的系列网络研讨会，6月至11月每月一期，探讨学习型城市如何将研究付诸实践，从新冠疫情中复苏。',
    },
    links: [self(WEBINAR_SERIES)],
    publisher: GNLC_PUBLISHER,
    year: 2020,
    languages: [],
    topics: ['covid-19-recovery'],
  },
  {
    key: 'covid-19-response-video-interviews',
    type: 'video',
    title: {
      en: 'Video interview series: UNESCO learning cities’ response to COVID-19',
      fr: 'Série d’entretiens vidéo : la réponse des villes apprenantes de l’UNESCO à la COVID-19',
      es: 'Serie de entrevistas en vídeo: la respuesta de las ciudades del aprendizaje de la UNESCO a la COVID-19',
      ru: 'Серия видеоинтервью: ответ обучающихся городов ЮНЕСКО на COVID-19',
      ar: 'سلسلة مقابلات مصورة: استجابة مدن التعلم في شبكة اليونسكو لكوفيد-19',
      zh: '系列视频访谈：联合国教科文组织学习型城市应对新冠疫情',
    },
    summary: {
      en: 'A series of video interviews in which UNESCO learning cities describe how they responded to the COVID-19 pandemic.',
      fr: 'Une série d’entretiens vidéo dans lesquels des villes apprenantes de l’UNESCO racontent comment elles ont répondu à la pandémie de COVID-19.',
      es: 'Una serie de entrevistas en vídeo en las que ciudades del aprendizaje de la UNESCO cuentan cómo respondieron a la pandemia de COVID-19.',
      ru: 'Серия видеоинтервью, в которых обучающиеся города ЮНЕСКО рассказывают, как они отреагировали на пандемию COVID-19.',
      ar: 'سلسلة مقابلات مصورة تروي فيها مدن التعلم في شبكة اليونسكو كيف استجابت لجائحة كوفيد-19.',
      zh: '系列视频访谈，联合国教科文组织学习型城市讲述它们如何应对新冠疫情。',
    },
    links: [self(INTERVIEW_SERIES)],
    publisher: GNLC_PUBLISHER,
    year: null,
    languages: [],
    topics: ['covid-19-recovery'],
  },
]

/** The seven tutorials: the list says seven, on six themes, and names none of them, so neither do we. */
const tutorials: SeedResource[] = Array.from({ length: 7 }, (_, i) => {
  const n = i + 1
  return {
    key: `guidelines-video-tutorial-${n}`,
    type: 'video-tutorial' as const,
    title: {
      en: `Guidelines for Building Learning Cities: video tutorial ${n} of 7`,
      fr: `Lignes directrices pour la construction de villes apprenantes : tutoriel vidéo ${n} sur 7`,
      es: `Directrices para la construcción de ciudades del aprendizaje: tutorial en vídeo ${n} de 7`,
      ru: `Руководство по созданию обучающихся городов: видеоурок ${n} из 7`,
      ar: `المبادئ التوجيهية لبناء مدن التعلم: درس الفيديو ${n} من 7`,
      zh: `《建设学习型城市指南》视频教程（第${n}集，共7集）`,
    },
    summary: {
      en: `Part ${n} of the set of seven video tutorials that accompany the Guidelines for Building Learning Cities.`,
      fr: `Partie ${n} de la série de sept tutoriels vidéo qui accompagnent les Lignes directrices pour la construction de villes apprenantes.`,
      es: `Parte ${n} de la serie de siete tutoriales en vídeo que acompañan las Directrices para la construcción de ciudades del aprendizaje.`,
      ru: `Часть ${n} из набора семи видеоуроков к Руководству по созданию обучающихся городов.`,
      ar: `الجزء ${n} من مجموعة دروس الفيديو السبعة المرافقة للمبادئ التوجيهية لبناء مدن التعلم.`,
      zh: `配合《建设学习型城市指南》的七个视频教程中的第${n}集。`,
    },
    links: [describedAt(GNLC)],
    publisher: GNLC_PUBLISHER,
    year: null,
    languages: [],
    topics: [...ACTION_AREAS],
    parent: 'guidelines-video-tutorials',
    position: n,
  }
})

const MONTHS: Record<string, string[]> = {
  en: ['June', 'July', 'August', 'September', 'October', 'November'],
  fr: ['juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre'],
  es: ['junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre'],
  ru: ['июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь'],
  ar: ['يونيو', 'يوليو', 'أغسطس', 'سبتمبر', 'أكتوبر', 'نوفمبر'],
  zh: ['6月', '7月', '8月', '9月', '10月', '11月'],
}
const month = (lang: string, i: number) => MONTHS[lang]?.[i] ?? ''

/** The monthly sessions, June to November 2020; the list gives no session titles. */
const sessions: SeedResource[] = Array.from({ length: 6 }, (_, i) => ({
  key: `covid-19-recovery-webinar-${i + 1}`,
  type: 'webinar' as const,
  title: {
    en: `Learning Cities’ COVID-19 recovery: ${month('en', i)} 2020 session`,
    fr: `La relance des villes apprenantes après la COVID-19 : séance de ${month('fr', i)} 2020`,
    es: `La recuperación de las ciudades del aprendizaje tras la COVID-19: sesión de ${month('es', i)} de 2020`,
    ru: `Восстановление обучающихся городов после COVID-19: занятие (${month('ru', i)} 2020)`,
    ar: `تعافي مدن التعلم من كوفيد-19: جلسة ${month('ar', i)} 2020`,
    zh: `学习型城市的新冠疫情后复苏：2020年${month('zh', i)}研讨会`,
  },
  summary: {
    en: `The ${month('en', i)} 2020 session of the webinar series “Learning Cities’ COVID-19 recovery: from research to practice”.`,
    fr: `La séance de ${month('fr', i)} 2020 de la série de webinaires « La relance des villes apprenantes après la COVID-19 : de la recherche à la pratique ».`,
    es: `La sesión de ${month('es', i)} de 2020 de la serie de seminarios web «La recuperación de las ciudades del aprendizaje tras la COVID-19: de la investigación a la práctica».`,
    ru: `Занятие серии вебинаров «Восстановление обучающихся городов после COVID-19: от исследований к практике» (${month('ru', i)} 2020).`,
    ar: `جلسة ${month('ar', i)} 2020 من سلسلة الندوات عبر الإنترنت «تعافي مدن التعلم من كوفيد-19: من البحث إلى الممارسة».`,
    zh: `系列网络研讨会“学习型城市的新冠疫情后复苏：从研究到实践”2020年${month('zh', i)}的一期。`,
  },
  links: [describedAt(WEBINAR_SERIES)],
  publisher: GNLC_PUBLISHER,
  year: 2020,
  languages: [],
  topics: ['covid-19-recovery'],
  parent: 'covid-19-recovery-webinar-series',
  position: i + 1,
}))

/** Every seeded resource, parents before their parts. */
export const SEED_RESOURCES: readonly SeedResource[] = [...base, ...tutorials, ...sessions]
