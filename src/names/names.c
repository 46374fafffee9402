/*
 * names.c – synthetic name material (see names.h).
 *
 * Common names of each population with their form in the original script and
 * the Latin spellings found in German registers; weights give rough relative
 * frequency. Generic common names only: no real person. NRW municipalities
 * with one real postcode and their Regierungsbezirk; common street names.
 */
#include "names/names.h"

#define N(native, w, ...)                                                                          \
    {                                                                                              \
        native, (const char *const[]){__VA_ARGS__, NULL}, w                                        \
    }
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct names_entry syria_family[] = {
    N("محمد", 40, "Mohammed", "Mohamad", "Muhammad", "Mohamed"),
    N("الأحمد", 20, "Al-Ahmad", "Alahmad", "Al Ahmad"),
    N("الحسن", 25, "Al-Hassan", "Alhasan", "Al Hasan", "El Hassan"),
    N("الخطيب", 15, "Al-Khatib", "Alkhatib", "El Khatib"),
    N("العلي", 20, "Al-Ali", "Alali"),
    N("حمود", 12, "Hamoud", "Hammoud", "Hamud"),
    N("الشامي", 8, "Al-Shami", "Alshami", "Al Schami"),
    N("عبد الله", 18, "Abdullah", "Abdallah", "Abd Allah"),
    N("ابراهيم", 16, "Ibrahim", "Ebrahim", "Ibraheem"),
    N("الحلبي", 10, "Al-Halabi", "Alhalabi", "Halabi"),
    N("خليل", 14, "Khalil", "Chalil", "Halil"),
    N("سليمان", 12, "Suleiman", "Sulaiman", "Soliman", "Sleiman"),
    N("الدرويش", 8, "Al-Darwish", "Darwish", "Derwisch"),
    N("عثمان", 10, "Othman", "Osman", "Uthman"),
    N("الحمصي", 7, "Al-Homsi", "Alhomsi", "Homsi"),
    N("قاسم", 11, "Kassem", "Qasim", "Kasem", "Qassem"),
    N("يوسف", 13, "Youssef", "Yousef", "Jusuf", "Yusuf"),
    N("حسين", 15, "Hussein", "Hussain", "Husein"),
    N("نجار", 7, "Najjar", "Nadschar", "Al-Najjar"),
    N("عبد الرحمن", 9, "Abdulrahman", "Abdel Rahman", "Abd al-Rahman", "Abdulrahim"),
};

static const struct names_entry syria_male[] = {
    N("محمد", 60, "Mohammed", "Muhammad", "Mohamad", "Mohamed", "Muhamed"),
    N("أحمد", 40, "Ahmad", "Ahmed", "Achmed"),
    N("علي", 25, "Ali"),
    N("عمر", 20, "Omar", "Umar"),
    N("خالد", 18, "Khaled", "Khalid", "Chalid"),
    N("محمود", 16, "Mahmoud", "Mahmud", "Machmud"),
    N("يوسف", 14, "Youssef", "Yusuf", "Yousef"),
    N("حسن", 15, "Hassan", "Hasan"),
    N("عبد العزيز", 8, "Abdulaziz", "Abdel Aziz", "Abd al-Aziz"),
    N("مصطفى", 12, "Mustafa", "Moustafa", "Mostafa"),
    N("إبراهيم", 12, "Ibrahim", "Ebrahim"),
    N("أنس", 8, "Anas"),
    N("بلال", 8, "Bilal", "Belal"),
    N("حمزة", 9, "Hamza", "Hamzah"),
    N("سامر", 7, "Samer", "Sameer"),
    N("وسيم", 6, "Wassim", "Wasim"),
    N("رامي", 6, "Rami", "Ramy"),
    N("طارق", 7, "Tarek", "Tariq", "Tarik"),
    N("فراس", 6, "Firas", "Feras"),
    N("جمال", 6, "Jamal", "Gamal", "Dschamal"),
};

static const struct names_entry syria_female[] = {
    N("فاطمة", 30, "Fatima", "Fatma", "Fatimah"),
    N("مريم", 20, "Maryam", "Mariam", "Mirjam"),
    N("آية", 15, "Aya", "Aja", "Ayah"),
    N("نور", 15, "Nour", "Noor", "Nur"),
    N("سارة", 12, "Sara", "Sarah"),
    N("هبة", 10, "Heba", "Hiba"),
    N("رنا", 9, "Rana"),
    N("لين", 7, "Leen", "Lin"),
    N("ريم", 8, "Reem", "Rim"),
    N("زينب", 10, "Zainab", "Zeinab", "Sainab"),
};

static const struct names_entry syria_places[] = {
    N("دمشق", 30, "Damaskus", "Damascus", "Dimashq"),
    N("حلب", 25, "Aleppo", "Halab"),
    N("حمص", 15, "Homs", "Hims"),
    N("درعا", 8, "Daraa", "Deraa", "Dara"),
    N("اللاذقية", 7, "Latakia", "Lattakia", "Al-Ladhiqiyah"),
    N("دير الزور", 6, "Deir ez-Zor", "Deir Ezzor", "Dair az-Zaur"),
};

static const char *const syria_iso3[] = {"SYR", NULL};

static const struct names_entry afghanistan_family[] = {
    N("احمدی", 30, "Ahmadi", "Achmadi"),
    N("محمدی", 25, "Mohammadi", "Muhammadi", "Mohamadi"),
    N("حیدری", 18, "Haidari", "Heydari", "Haydari"),
    N("رحیمی", 15, "Rahimi", "Rachimi"),
    N("نوری", 14, "Noori", "Nuri", "Nouri"),
    N("امیری", 14, "Amiri", "Emiri"),
    N("حسینی", 20, "Hosseini", "Husseini", "Hussaini"),
    N("کریمی", 14, "Karimi", "Kerimi"),
    N("صدیقی", 10, "Sediqi", "Siddiqui", "Seddiqi"),
    N("ستانکزی", 6, "Stanekzai", "Stanikzai"),
    N("پوپلزی", 5, "Popalzai", "Popalsai"),
    N("یوسفزی", 7, "Yousafzai", "Yusufzai", "Jussufsai"),
    N("نظری", 12, "Nazari", "Nasari"),
    N("عزیزی", 12, "Azizi", "Asisi"),
    N("صافی", 9, "Safi", "Safie"),
    N("وردک", 7, "Wardak", "Wardag"),
    N("جلالی", 8, "Jalali", "Dschalali"),
};

static const struct names_entry afghanistan_male[] = {
    N("محمد", 40, "Mohammad", "Mohammed", "Muhammad"),
    N("احمد", 30, "Ahmad", "Ahmed"),
    N("علی", 25, "Ali"),
    N("مصطفی", 12, "Mustafa", "Mostafa"),
    N("جاوید", 10, "Jawid", "Javid", "Dschawid"),
    N("نوید", 10, "Naweed", "Navid", "Nawid"),
    N("فرید", 9, "Farid", "Fareed"),
    N("عبدالله", 12, "Abdullah", "Abdollah"),
    N("حمید", 10, "Hamid", "Hameed"),
    N("ذبیح الله", 8, "Zabihullah", "Sabiullah", "Zabiullah"),
    N("سهراب", 7, "Sohrab", "Suhrab"),
    N("رحمت", 8, "Rahmat", "Rachmat"),
    N("شفیق", 7, "Shafiq", "Schafik", "Shafik"),
    N("عارف", 8, "Arif", "Aref"),
    N("مجیب", 6, "Mujib", "Mudschib"),
};

static const struct names_entry afghanistan_female[] = {
    N("فاطمه", 20, "Fatima", "Fatema"),   N("زهرا", 16, "Zahra", "Sahra"),
    N("مریم", 14, "Maryam", "Mariam"),    N("شکیلا", 8, "Shakila", "Schakila"),
    N("ملالی", 7, "Malalai", "Malali"),   N("نرگس", 9, "Nargis", "Narges"),
    N("فرشته", 8, "Fereshta", "Freshta"), N("ستاره", 8, "Setara", "Sitara"),
};

static const struct names_entry afghanistan_places[] = {
    N("کابل", 35, "Kabul", "Kaboul"),
    N("هرات", 20, "Herat", "Harat"),
    N("مزار شریف", 15, "Mazar-i-Sharif", "Masar-e Scharif", "Mazar-e Sharif"),
    N("قندهار", 15, "Kandahar", "Qandahar"),
    N("جلال آباد", 10, "Jalalabad", "Dschalalabad"),
    N("غزنی", 6, "Ghazni", "Gasni"),
};

static const char *const afghanistan_iso3[] = {"AFG", NULL};

static const struct names_entry iraq_family[] = {
    N("الجبوري", 15, "Al-Jubouri", "Aljuboori", "Al Dschaburi"),
    N("العبيدي", 12, "Al-Obaidi", "Alubaidi", "Al Ubaidi"),
    N("التميمي", 12, "Al-Tamimi", "Altamimi", "Tamimi"),
    N("الدليمي", 10, "Al-Dulaimi", "Aldulaimi", "Duleimi"),
    N("قادر", 14, "Qadir", "Kadir", "Qader"),
    N("حسن", 15, "Hassan", "Hasan"),
    N("عباس", 14, "Abbas", "Abas"),
    N("محمود", 12, "Mahmoud", "Mahmood"),
    N("كريم", 10, "Karim", "Kareem"),
    N("جاسم", 9, "Jassim", "Jasim", "Dschasim"),
    N("صالح", 10, "Saleh", "Salih"),
    N("رشيد", 9, "Rashid", "Raschid", "Rasheed"),
    N("خضر", 7, "Khider", "Khidir", "Chidir"),
    N("مراد", 8, "Murad", "Mourad"),
};

static const struct names_entry iraq_male[] = {
    N("علي", 30, "Ali"),
    N("حسين", 25, "Hussein", "Hussain", "Husain"),
    N("محمد", 35, "Mohammed", "Muhammad", "Mohamed"),
    N("أحمد", 20, "Ahmed", "Ahmad"),
    N("كرار", 8, "Karrar", "Karar"),
    N("مصطفى", 12, "Mustafa", "Mostafa"),
    N("سيف", 10, "Saif", "Sayf", "Seif"),
    N("عمار", 9, "Ammar", "Amar"),
    N("زيد", 8, "Zaid", "Zayd", "Said"),
    N("دلشاد", 6, "Dilshad", "Dilschad"),
    N("آزاد", 7, "Azad", "Asad"),
    N("هوشيار", 5, "Hoshyar", "Hoschiar"),
};

static const struct names_entry iraq_female[] = {
    N("زينب", 15, "Zainab", "Zeinab"),
    N("فاطمة", 15, "Fatima", "Fatma"),
    N("نور", 10, "Noor", "Nour", "Nur"),
    N("رقية", 7, "Ruqaya", "Rukiye", "Roqaya"),
    N("شيماء", 7, "Shaymaa", "Schaima", "Shaima"),
    N("أمل", 7, "Amal"),
    N("هيفاء", 5, "Haifa", "Haifaa"),
};

static const struct names_entry iraq_places[] = {
    N("بغداد", 30, "Bagdad", "Baghdad"),
    N("الموصل", 20, "Mossul", "Mosul", "Al-Mawsil"),
    N("كركوك", 10, "Kirkuk", "Kerkuk"),
    N("أربيل", 12, "Erbil", "Arbil", "Hawler"),
    N("البصرة", 10, "Basra", "Basrah"),
    N("دهوك", 8, "Dohuk", "Duhok", "Dahuk"),
    N("السليمانية", 7, "Sulaimaniyya", "Sulaymaniyah", "Slemani"),
};

static const char *const iraq_iso3[] = {"IRQ", NULL};

static const struct names_entry iran_family[] = {
    N("رضایی", 15, "Rezaei", "Resaei", "Rezaie"),
    N("محمدی", 15, "Mohammadi", "Mohamadi"),
    N("حسینی", 14, "Hosseini", "Hoseini"),
    N("کریمی", 10, "Karimi"),
    N("موسوی", 12, "Mousavi", "Musavi", "Moussawi"),
    N("جعفری", 10, "Jafari", "Dschafari", "Jaafari"),
    N("قاسمی", 10, "Ghasemi", "Qasemi", "Kasemi"),
    N("صادقی", 10, "Sadeghi", "Sadeqi"),
    N("رحیمی", 8, "Rahimi"),
    N("نوروزی", 7, "Norouzi", "Nowruzi", "Nourouzi"),
    N("اکبری", 8, "Akbari"),
};

static const struct names_entry iran_male[] = {
    N("علی", 20, "Ali"),
    N("محمد", 20, "Mohammad", "Mohammed"),
    N("رضا", 15, "Reza", "Resa"),
    N("حسین", 12, "Hossein", "Hosein"),
    N("مهدی", 12, "Mehdi", "Mahdi"),
    N("امیر", 10, "Amir"),
    N("سعید", 9, "Saeed", "Said", "Saeid"),
    N("بهرام", 5, "Bahram"),
};

static const struct names_entry iran_female[] = {
    N("مریم", 12, "Maryam", "Mariam"),   N("زهرا", 12, "Zahra", "Sahra"),
    N("فاطمه", 10, "Fatemeh", "Fatima"), N("نرگس", 7, "Narges", "Nargis"),
    N("شیرین", 7, "Shirin", "Schirin"),  N("لیلا", 8, "Leila", "Leyla", "Laila"),
};

static const struct names_entry iran_places[] = {
    N("تهران", 35, "Teheran", "Tehran"),   N("مشهد", 15, "Maschhad", "Mashhad"),
    N("اصفهان", 12, "Isfahan", "Esfahan"), N("تبریز", 10, "Tabriz", "Täbris"),
    N("شیراز", 10, "Schiras", "Shiraz"),   N("کرمانشاه", 6, "Kermanshah", "Kermanschah"),
};

static const char *const iran_iso3[] = {"IRN", NULL};

static const struct names_entry turkey_family[] = {
    N(NULL, 30, "Yılmaz", "Yilmaz"),
    N(NULL, 20, "Kaya"),
    N(NULL, 20, "Demir"),
    N(NULL, 18, "Şahin", "Sahin", "Schahin"),
    N(NULL, 16, "Çelik", "Celik", "Tschelik"),
    N(NULL, 16, "Yıldız", "Yildiz", "Yildis"),
    N(NULL, 14, "Yıldırım", "Yildirim"),
    N(NULL, 14, "Öztürk", "Oeztuerk", "Ozturk"),
    N(NULL, 14, "Aydın", "Aydin"),
    N(NULL, 13, "Özdemir", "Oezdemir", "Ozdemir"),
    N(NULL, 12, "Arslan", "Aslan"),
    N(NULL, 12, "Doğan", "Dogan"),
    N(NULL, 11, "Kılıç", "Kilic", "Kilitsch"),
    N(NULL, 10, "Aslan"),
    N(NULL, 10, "Çetin", "Cetin"),
    N(NULL, 10, "Kara"),
    N(NULL, 9, "Koç", "Koc", "Kotsch"),
    N(NULL, 9, "Kurt"),
    N(NULL, 8, "Özkan", "Ozkan", "Oezkan"),
    N(NULL, 8, "Şimşek", "Simsek"),
};

static const struct names_entry turkey_male[] = {
    N(NULL, 30, "Mehmet", "Mehmed"),
    N(NULL, 25, "Mustafa"),
    N(NULL, 22, "Ahmet", "Ahmed"),
    N(NULL, 20, "Ali"),
    N(NULL, 18, "Hüseyin", "Huseyin", "Hueseyin"),
    N(NULL, 16, "Hasan"),
    N(NULL, 14, "İbrahim", "Ibrahim"),
    N(NULL, 12, "İsmail", "Ismail"),
    N(NULL, 10, "Osman"),
    N(NULL, 10, "Yusuf"),
    N(NULL, 12, "Murat", "Murad"),
    N(NULL, 10, "Emre"),
    N(NULL, 9, "Burak"),
    N(NULL, 7, "Serkan"),
    N(NULL, 9, "Ömer", "Omer", "Oemer"),
    N(NULL, 6, "Çağlar", "Caglar"),
};

static const struct names_entry turkey_female[] = {
    N(NULL, 20, "Fatma"),
    N(NULL, 20, "Ayşe", "Ayse", "Aysche"),
    N(NULL, 15, "Emine"),
    N(NULL, 13, "Hatice", "Hatidsche"),
    N(NULL, 12, "Zeynep", "Zeinep"),
    N(NULL, 12, "Elif"),
    N(NULL, 10, "Meryem", "Meriem"),
    N(NULL, 8, "Özlem", "Ozlem", "Oezlem"),
    N(NULL, 7, "Gül", "Gul", "Guel"),
};

static const struct names_entry turkey_places[] = {
    N(NULL, 25, "Istanbul", "İstanbul"),
    N(NULL, 12, "Ankara"),
    N(NULL, 10, "Izmir", "İzmir", "Smyrna"),
    N(NULL, 12, "Diyarbakır", "Diyarbakir"),
    N(NULL, 8, "Gaziantep", "Antep"),
    N(NULL, 7, "Konya"),
    N(NULL, 8, "Şanlıurfa", "Sanliurfa", "Urfa"),
    N(NULL, 6, "Mardin"),
};

static const char *const turkey_iso3[] = {"TUR", NULL};

static const struct names_entry north_africa_family[] = {
    N("العمراني", 12, "El Amrani", "Elamrani", "Al-Amrani"),
    N("بن صالح", 12, "Ben Salah", "Bensalah", "Bin Salih"),
    N("الإدريسي", 10, "El Idrissi", "Idrissi", "Al-Idrisi"),
    N("بوزيد", 10, "Bouzid", "Bousid", "Bu Zaid"),
    N("المنصوري", 10, "El Mansouri", "Mansouri", "Al-Mansuri"),
    N("بلقاسم", 9, "Belkacem", "Belkassem", "Bilqasim"),
    N("الطرابلسي", 9, "Trabelsi", "Tarabulsi"),
    N("بن علي", 11, "Ben Ali", "Benali", "Bin Ali"),
    N("الزروالي", 6, "Zeroual", "Zerouali"),
    N("حداد", 10, "Haddad", "Hadad"),
    N("شريف", 10, "Cherif", "Sharif", "Scharif"),
    N("العلوي", 9, "Alaoui", "El Alaoui", "Al-Alawi"),
    N("بوعزيزي", 5, "Bouazizi", "Bu Azizi"),
    N("مسعودي", 8, "Messaoudi", "Masudi", "Masoudi"),
};

static const struct names_entry north_africa_male[] = {
    N("محمد", 35, "Mohamed", "Mohammed", "Mohammad", "Mhamed"),
    N("يوسف", 14, "Youssef", "Youcef", "Yussuf"),
    N("كريم", 12, "Karim", "Kareem"),
    N("ياسين", 14, "Yassine", "Yasin", "Jassin"),
    N("أيوب", 12, "Ayoub", "Ayub", "Ajub"),
    N("سفيان", 12, "Soufiane", "Sofiane", "Sufian"),
    N("عبد الرحيم", 7, "Abderrahim", "Abdelrahim", "Abd ar-Rahim"),
    N("أمين", 12, "Amine", "Amin"),
    N("مهدي", 10, "Mehdi", "Mahdi"),
    N("بلال", 9, "Bilal", "Belal"),
    N("رضا", 8, "Reda", "Rida", "Ridha"),
    N("هشام", 9, "Hicham", "Hisham", "Hischam"),
};

static const struct names_entry north_africa_female[] = {
    N("فاطمة", 15, "Fatima", "Fatiha", "Fatma"),
    N("خديجة", 12, "Khadija", "Khadidja", "Chadidscha"),
    N("مريم", 12, "Meriem", "Maryam", "Myriam"),
    N("سلمى", 9, "Salma", "Selma"),
    N("نادية", 8, "Nadia", "Nadja"),
    N("ياسمين", 10, "Yasmine", "Jasmin", "Yasmin"),
    N("أميمة", 6, "Oumaima", "Umaima", "Omaima"),
};

static const struct names_entry north_africa_places[] = {
    N("الدار البيضاء", 20, "Casablanca", "Dar el Beida", "Ad-Dar al-Bayda"),
    N("الرباط", 8, "Rabat"),
    N("طنجة", 12, "Tanger", "Tangier", "Tanja"),
    N("فاس", 9, "Fes", "Fès", "Fez"),
    N("الجزائر", 14, "Algier", "Algiers", "Alger"),
    N("وهران", 9, "Oran", "Wahran"),
    N("تونس", 12, "Tunis"),
    N("صفاقس", 6, "Sfax", "Safaqis"),
    N("طرابلس", 7, "Tripolis", "Tripoli", "Tarabulus"),
    N("الناظور", 8, "Nador", "An-Nadur"),
};

static const char *const north_africa_iso3[] = {"MAR", "DZA", "TUN", "LBY", NULL};

static const struct names_entry west_africa_family[] = {
    N(NULL, 20, "Diallo", "Jallow", "Djalo"),
    N(NULL, 16, "Bah", "Ba", "Barry"),
    N(NULL, 12, "Sow", "Sowe"),
    N(NULL, 14, "Camara", "Kamara"),
    N(NULL, 12, "Touré", "Toure", "Turay"),
    N(NULL, 12, "Traoré", "Traore", "Trawally"),
    N(NULL, 10, "Okafor", "Okafo"),
    N(NULL, 9, "Adeyemi", "Adeyemy"),
    N(NULL, 10, "Mensah", "Mensa"),
    N(NULL, 12, "Ceesay", "Sise", "Cissé", "Cisse"),
    N(NULL, 9, "Sanneh", "Sane", "Sané"),
    N(NULL, 8, "Okonkwo"),
    N(NULL, 10, "Balde", "Baldé"),
    N(NULL, 9, "Keita", "Keïta", "Kaita"),
    N(NULL, 8, "Owusu", "Owusuh"),
    N(NULL, 8, "Eze"),
    N(NULL, 10, "Ndiaye", "N'Diaye", "Njie"),
    N(NULL, 9, "Jobe", "Diop", "Job"),
};

static const struct names_entry west_africa_male[] = {
    N(NULL, 20, "Mamadou", "Mamadu", "Mohamadou"),
    N(NULL, 16, "Ibrahima", "Ebrima", "Ibrahim"),
    N(NULL, 14, "Abdoulaye", "Abdoulie", "Abdulai"),
    N(NULL, 10, "Alpha"),
    N(NULL, 12, "Ousman", "Ousmane", "Usman"),
    N(NULL, 12, "Lamin", "Lamine", "Lamin"),
    N(NULL, 12, "Moussa", "Musa"),
    N(NULL, 8, "Emeka"),
    N(NULL, 7, "Chinedu"),
    N(NULL, 8, "Kwame"),
    N(NULL, 8, "Kofi"),
    N(NULL, 6, "Oluwaseun", "Seun"),
    N(NULL, 9, "Modou", "Modu"),
    N(NULL, 8, "Sekou", "Sékou"),
};

static const struct names_entry west_africa_female[] = {
    N(NULL, 16, "Fatoumata", "Fatou", "Fatuma"),
    N(NULL, 14, "Aminata", "Aminatta"),
    N(NULL, 12, "Mariama", "Mariame"),
    N(NULL, 10, "Isatou", "Isatu"),
    N(NULL, 9, "Kadiatou", "Kadijatou", "Khadija"),
    N(NULL, 6, "Adaeze", "Ada"),
    N(NULL, 6, "Akosua"),
    N(NULL, 9, "Blessing"),
};

static const struct names_entry west_africa_places[] = {
    N(NULL, 15, "Lagos"),          N(NULL, 14, "Conakry", "Konakry"),
    N(NULL, 10, "Banjul"),         N(NULL, 8, "Serekunda", "Serrekunda"),
    N(NULL, 10, "Accra", "Akkra"), N(NULL, 10, "Dakar"),
    N(NULL, 9, "Abidjan"),         N(NULL, 9, "Benin City", "Benin-City"),
    N(NULL, 6, "Kankan"),
};

static const char *const west_africa_iso3[] = {"NGA", "GIN", "GMB", "GHA", "SEN", "CIV", NULL};

static const struct names_entry balkans_family[] = {
    N("Јовановић", 12, "Jovanović", "Jovanovic", "Jowanowitsch"),
    N("Петровић", 12, "Petrović", "Petrovic", "Petrowitsch"),
    N("Николић", 10, "Nikolić", "Nikolic", "Nikolitsch"),
    N(NULL, 14, "Krasniqi", "Krasniqui", "Krasnici"),
    N(NULL, 12, "Gashi", "Gaschi"),
    N(NULL, 12, "Berisha", "Berischa"),
    N(NULL, 11, "Hoxha", "Hodscha", "Hodza"),
    N(NULL, 9, "Shala", "Schala"),
    N(NULL, 9, "Morina"),
    N(NULL, 9, "Bajrami", "Bajramović"),
    N("Хоџић", 8, "Hodžić", "Hodzic", "Hodschitsch"),
    N(NULL, 8, "Begić", "Begic"),
    N(NULL, 9, "Kovačević", "Kovacevic", "Kowatschewitsch"),
    N(NULL, 9, "Ahmeti", "Ahmetaj"),
    N(NULL, 8, "Kelmendi"),
    N(NULL, 8, "Osmani", "Osmanović"),
};

static const struct names_entry balkans_male[] = {
    N(NULL, 10, "Arben"),
    N(NULL, 8, "Besnik"),
    N(NULL, 7, "Driton"),
    N(NULL, 8, "Enver"),
    N(NULL, 8, "Fatmir"),
    N(NULL, 7, "Ilir"),
    N(NULL, 7, "Dardan"),
    N("Марко", 10, "Marko"),
    N("Никола", 9, "Nikola"),
    N("Стефан", 8, "Stefan"),
    N("Милош", 8, "Miloš", "Milos", "Milosch"),
    N(NULL, 8, "Adnan"),
    N(NULL, 8, "Emir"),
    N(NULL, 6, "Mirza"),
    N(NULL, 6, "Armend"),
};

static const struct names_entry balkans_female[] = {
    N(NULL, 7, "Arta"),    N(NULL, 7, "Blerta"),     N(NULL, 7, "Drita"),
    N(NULL, 6, "Valbona"), N("Јелена", 9, "Jelena"), N("Милица", 8, "Milica", "Miliza"),
    N(NULL, 7, "Amra"),    N(NULL, 7, "Emina"),      N(NULL, 8, "Lejla", "Leila"),
};

static const struct names_entry balkans_places[] = {
    N(NULL, 14, "Pristina", "Priština", "Prishtina", "Prishtinë"),
    N(NULL, 9, "Prizren"),
    N(NULL, 12, "Tirana", "Tiranë"),
    N(NULL, 8, "Durrës", "Durres", "Durazzo"),
    N("Београд", 12, "Belgrad", "Beograd", "Belgrade"),
    N("Ниш", 7, "Niš", "Nis", "Nisch"),
    N(NULL, 10, "Skopje", "Skopie", "Üsküb"),
    N(NULL, 10, "Sarajevo", "Sarajewo"),
    N(NULL, 6, "Tuzla"),
};

static const char *const balkans_iso3[] = {"SRB", "XKX", "ALB", "MKD", "BIH", NULL};

static const struct names_entry georgia_family[] = {
    N("ბერიძე", 12, "Beridze", "Beridse"),
    N("კაპანაძე", 10, "Kapanadze", "Kapanadse"),
    N("გელაშვილი", 10, "Gelashvili", "Gelaschwili"),
    N("მაისურაძე", 10, "Maisuradze", "Maisuradse"),
    N("გიორგაძე", 9, "Giorgadze", "Giorgadse"),
    N("ლომიძე", 8, "Lomidze", "Lomidse"),
    N("წიკლაური", 8, "Tsiklauri", "Ziklauri"),
    N("ბოლქვაძე", 7, "Bolkvadze", "Bolkwadse"),
    N("ნოზაძე", 7, "Nozadze", "Nosadse"),
    N("მამედოვი", 6, "Mamedovi", "Mamedow"),
    N("ხუციშვილი", 7, "Khutsishvili", "Chuzischwili"),
    N("ჯაფარიძე", 7, "Japaridze", "Dschaparidse"),
};

static const struct names_entry georgia_male[] = {
    N("გიორგი", 20, "Giorgi", "Georgi"),
    N("დავით", 15, "Davit", "David", "Dawit"),
    N("ლევან", 12, "Levan", "Lewan"),
    N("ნიკა", 10, "Nika"),
    N("ირაკლი", 9, "Irakli"),
    N("ზურაბ", 9, "Zurab", "Surab"),
    N("ლაშა", 8, "Lasha", "Lascha"),
    N("გოჩა", 6, "Gocha", "Gotscha"),
};

static const struct names_entry georgia_female[] = {
    N("ნინო", 15, "Nino"),           N("მარიამ", 12, "Mariam"), N("თამარ", 10, "Tamar", "Tamara"),
    N("ეკა", 8, "Eka", "Ekaterine"), N("ნათია", 7, "Natia"),    N("სალომე", 7, "Salome"),
};

static const struct names_entry georgia_places[] = {
    N("თბილისი", 30, "Tiflis", "Tbilisi"),
    N("ქუთაისი", 12, "Kutaissi", "Kutaisi"),
    N("ბათუმი", 10, "Batumi"),
    N("რუსთავი", 8, "Rustawi", "Rustavi"),
    N("გორი", 6, "Gori"),
    N("ზუგდიდი", 5, "Sugdidi", "Zugdidi"),
};

static const char *const georgia_iso3[] = {"GEO", NULL};

static const struct names_entry russia_family[] = {
    N("Щербаков", 8, "Shcherbakov", "Scherbakow", "Ščerbakov"),
    N("Иванов", 12, "Ivanov", "Iwanow"),
    N("Кузнецов", 10, "Kuznetsov", "Kusnezow"),
    N("Попов", 9, "Popov", "Popow"),
    N("Джабраилов", 10, "Dzhabrailov", "Dschabrailow", "Jabrailov"),
    N("Кадыров", 8, "Kadyrov", "Kadyrow"),
    N("Умаров", 10, "Umarov", "Umarow"),
    N("Магомедов", 12, "Magomedov", "Magomedow"),
    N("Хасанов", 10, "Khasanov", "Chasanow", "Hasanov"),
    N("Исаев", 9, "Isaev", "Issajew", "Isayev"),
    N("Алиев", 10, "Aliev", "Alijew", "Aliyev"),
    N("Батаев", 7, "Bataev", "Batajew"),
    N("Соколов", 8, "Sokolov", "Sokolow"),
    N("Хрущёв", 4, "Khrushchev", "Chruschtschow"),
};

static const struct names_entry russia_male[] = {
    N("Магомед", 15, "Magomed", "Magomet"),         N("Рамзан", 10, "Ramzan", "Ramsan"),
    N("Ахмед", 10, "Akhmed", "Achmed", "Ahmed"),    N("Иван", 9, "Ivan", "Iwan"),
    N("Дмитрий", 9, "Dmitry", "Dmitri", "Dmitrij"), N("Алексей", 8, "Aleksey", "Alexei", "Aleksej"),
    N("Зелимхан", 7, "Zelimkhan", "Selimchan"),     N("Ислам", 9, "Islam"),
    N("Сергей", 8, "Sergey", "Sergei", "Sergej"),   N("Аслан", 7, "Aslan"),
};

static const struct names_entry russia_female[] = {
    N("Хеда", 8, "Kheda", "Cheda", "Heda"),
    N("Марьям", 8, "Maryam", "Marjam"),
    N("Анна", 8, "Anna"),
    N("Елена", 8, "Elena", "Jelena", "Yelena"),
    N("Петимат", 6, "Petimat"),
    N("Жанна", 6, "Zhanna", "Schanna"),
    N("Ольга", 7, "Olga"),
};

static const struct names_entry russia_places[] = {
    N("Грозный", 25, "Grosny", "Grozny", "Groznyj"),
    N("Москва", 15, "Moskau", "Moskva", "Moscow"),
    N("Махачкала", 12, "Machatschkala", "Makhachkala"),
    N("Назрань", 8, "Nasran", "Nazran"),
    N("Гудермес", 7, "Gudermes"),
    N("Санкт-Петербург", 6, "Sankt Petersburg", "Saint Petersburg"),
};

static const char *const russia_iso3[] = {"RUS", NULL};

struct population_tables {
    struct names_population_info info;
    const struct names_entry *family, *male, *female, *places;
    size_t n_family, n_male, n_female, n_places;
};

static const struct population_tables populations[NAMES_POPULATION_COUNT] = {
    [NAMES_SYRIA] = {{"syria", "Syrien", syria_iso3, 30, 2, 150},
                     syria_family,
                     syria_male,
                     syria_female,
                     syria_places,
                     COUNT(syria_family),
                     COUNT(syria_male),
                     COUNT(syria_female),
                     COUNT(syria_places)},
    [NAMES_AFGHANISTAN] = {{"afghanistan", "Afghanistan", afghanistan_iso3, 18, 1, 400},
                           afghanistan_family,
                           afghanistan_male,
                           afghanistan_female,
                           afghanistan_places,
                           COUNT(afghanistan_family),
                           COUNT(afghanistan_male),
                           COUNT(afghanistan_female),
                           COUNT(afghanistan_places)},
    [NAMES_IRAQ] = {{"iraq", "Irak", iraq_iso3, 10, 2, 200},
                    iraq_family,
                    iraq_male,
                    iraq_female,
                    iraq_places,
                    COUNT(iraq_family),
                    COUNT(iraq_male),
                    COUNT(iraq_female),
                    COUNT(iraq_places)},
    [NAMES_IRAN] = {{"iran", "Iran", iran_iso3, 5, 1, 50},
                    iran_family,
                    iran_male,
                    iran_female,
                    iran_places,
                    COUNT(iran_family),
                    COUNT(iran_male),
                    COUNT(iran_female),
                    COUNT(iran_places)},
    [NAMES_TURKEY] = {{"turkey", "Türkei", turkey_iso3, 14, 2, 20},
                      turkey_family,
                      turkey_male,
                      turkey_female,
                      turkey_places,
                      COUNT(turkey_family),
                      COUNT(turkey_male),
                      COUNT(turkey_female),
                      COUNT(turkey_places)},
    [NAMES_NORTH_AFRICA] = {{"north_africa", "Nordafrika", north_africa_iso3, 9, 2, 60},
                            north_africa_family,
                            north_africa_male,
                            north_africa_female,
                            north_africa_places,
                            COUNT(north_africa_family),
                            COUNT(north_africa_male),
                            COUNT(north_africa_female),
                            COUNT(north_africa_places)},
    [NAMES_WEST_AFRICA] = {{"west_africa", "Westafrika", west_africa_iso3, 7, 2, 300},
                           west_africa_family,
                           west_africa_male,
                           west_africa_female,
                           west_africa_places,
                           COUNT(west_africa_family),
                           COUNT(west_africa_male),
                           COUNT(west_africa_female),
                           COUNT(west_africa_places)},
    [NAMES_BALKANS] = {{"balkans", "Westbalkan", balkans_iso3, 9, 1, 5},
                       balkans_family,
                       balkans_male,
                       balkans_female,
                       balkans_places,
                       COUNT(balkans_family),
                       COUNT(balkans_male),
                       COUNT(balkans_female),
                       COUNT(balkans_places)},
    [NAMES_GEORGIA] = {{"georgia", "Georgien", georgia_iso3, 4, 1, 5},
                       georgia_family,
                       georgia_male,
                       georgia_female,
                       georgia_places,
                       COUNT(georgia_family),
                       COUNT(georgia_male),
                       COUNT(georgia_female),
                       COUNT(georgia_places)},
    [NAMES_RUSSIA] = {{"russia", "Russische Föderation", russia_iso3, 5, 1, 10},
                      russia_family,
                      russia_male,
                      russia_female,
                      russia_places,
                      COUNT(russia_family),
                      COUNT(russia_male),
                      COUNT(russia_female),
                      COUNT(russia_places)},
};

static const struct names_municipality municipalities[] = {
    {"Düsseldorf", "40210", "Düsseldorf"},
    {"Duisburg", "47051", "Düsseldorf"},
    {"Essen", "45127", "Düsseldorf"},
    {"Wuppertal", "42103", "Düsseldorf"},
    {"Krefeld", "47798", "Düsseldorf"},
    {"Mönchengladbach", "41061", "Düsseldorf"},
    {"Oberhausen", "46045", "Düsseldorf"},
    {"Mülheim an der Ruhr", "45468", "Düsseldorf"},
    {"Solingen", "42651", "Düsseldorf"},
    {"Remscheid", "42853", "Düsseldorf"},
    {"Neuss", "41460", "Düsseldorf"},
    {"Moers", "47441", "Düsseldorf"},
    {"Köln", "50667", "Köln"},
    {"Bonn", "53111", "Köln"},
    {"Leverkusen", "51373", "Köln"},
    {"Aachen", "52062", "Köln"},
    {"Bergisch Gladbach", "51465", "Köln"},
    {"Düren", "52349", "Köln"},
    {"Siegburg", "53721", "Köln"},
    {"Euskirchen", "53879", "Köln"},
    {"Kerpen", "50171", "Köln"},
    {"Münster", "48143", "Münster"},
    {"Gelsenkirchen", "45879", "Münster"},
    {"Bottrop", "46236", "Münster"},
    {"Recklinghausen", "45657", "Münster"},
    {"Borken", "46325", "Münster"},
    {"Coesfeld", "48653", "Münster"},
    {"Marl", "45768", "Münster"},
    {"Rheine", "48431", "Münster"},
    {"Dorsten", "46282", "Münster"},
    {"Bielefeld", "33602", "Detmold"},
    {"Paderborn", "33098", "Detmold"},
    {"Gütersloh", "33330", "Detmold"},
    {"Detmold", "32756", "Detmold"},
    {"Minden", "32423", "Detmold"},
    {"Herford", "32052", "Detmold"},
    {"Bad Salzuflen", "32105", "Detmold"},
    {"Dortmund", "44135", "Arnsberg"},
    {"Bochum", "44787", "Arnsberg"},
    {"Hagen", "58095", "Arnsberg"},
    {"Hamm", "59065", "Arnsberg"},
    {"Herne", "44623", "Arnsberg"},
    {"Siegen", "57072", "Arnsberg"},
    {"Iserlohn", "58636", "Arnsberg"},
    {"Lüdenscheid", "58507", "Arnsberg"},
    {"Unna", "59423", "Arnsberg"},
    {"Arnsberg", "59821", "Arnsberg"},
};

static const char *const streets[] = {
    "Hauptstraße",    "Bahnhofstraße",   "Schulstraße",     "Gartenstraße",  "Kirchstraße",
    "Dorfstraße",     "Bergstraße",      "Lindenstraße",    "Ringstraße",    "Friedrichstraße",
    "Wilhelmstraße",  "Mühlenweg",       "Am Markt",        "Poststraße",    "Feldstraße",
    "Rosenstraße",    "Goethestraße",    "Schillerstraße",  "Kölner Straße", "Dortmunder Straße",
    "Essener Straße", "Mozartstraße",    "Beethovenstraße", "Parkstraße",    "Waldstraße",
    "Jahnstraße",     "Kaiserstraße",    "Königstraße",     "Marktstraße",   "Neue Straße",
    "Talstraße",      "Industriestraße", "Am Bahnhof",      "Breite Straße", "Lange Straße",
    "Kurze Straße",   "Wiesenweg",       "Birkenweg",       "Eichenweg",     "Ahornweg",
    "Buchenweg",      "Tannenweg",       "Blumenstraße",    "Sonnenstraße",  "Mittelstraße",
    "Weststraße",     "Oststraße",       "Nordstraße",      "Südstraße",     "Hochstraße",
    "Brückenstraße",  "Burgstraße",      "Schloßstraße",    "Mühlenstraße",  "Uhlandstraße",
    "Humboldtstraße", "Bismarckstraße",  "Luisenstraße",    "Karlstraße",    "Viktoriastraße",
    "Hafenstraße",    "Kanalstraße"};

const struct names_population_info *names_population(enum names_population p)
{
    if ((int)p < 0 || p >= NAMES_POPULATION_COUNT)
        return NULL;
    return &populations[p].info;
}

size_t names_family(enum names_population p, const struct names_entry **out)
{
    if ((int)p < 0 || p >= NAMES_POPULATION_COUNT)
        return 0;
    *out = populations[p].family;
    return populations[p].n_family;
}

size_t names_given(enum names_population p, char sex, const struct names_entry **out)
{
    if ((int)p < 0 || p >= NAMES_POPULATION_COUNT || (sex != 'm' && sex != 'f'))
        return 0;
    *out = sex == 'm' ? populations[p].male : populations[p].female;
    return sex == 'm' ? populations[p].n_male : populations[p].n_female;
}

size_t names_places(enum names_population p, const struct names_entry **out)
{
    if ((int)p < 0 || p >= NAMES_POPULATION_COUNT)
        return 0;
    *out = populations[p].places;
    return populations[p].n_places;
}

size_t names_municipalities(const struct names_municipality **out)
{
    *out = municipalities;
    return COUNT(municipalities);
}

size_t names_streets(const char *const **out)
{
    *out = streets;
    return COUNT(streets);
}
