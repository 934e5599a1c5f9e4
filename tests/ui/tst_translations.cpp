// The translations: German and French are complete (every message of translations/lodestone_de.ts and
// lodestone_fr.ts translated, and the catalogues built into lodestone_ui agree with them), English holds
// its plural forms, and a main window built under each language shows it: menus, tabs, docks, plurals.

#include "library/librarycontroller.h"
#include "settings/translations.h"
#include "window/mainwindow.h"
#include "window/messagebar.h"

#include <QAction>
#include <QDockWidget>
#include <QFile>
#include <QMenuBar>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTranslator>
#include <QXmlStreamReader>
#include <QtTest>

#include <memory>

using namespace lodestone::ui;

namespace {

// One message of a .ts file, as written there.
struct TsMessage {
    QString context;
    QString source;
    QString comment;
    bool numerus = false;
    QString translationType; // the type attribute of <translation>: "" once translated
    QStringList forms;       // the translation, or its numerus forms
};

// Reads every message of `path`; `error` says what went wrong, empty when all went well.
QList<TsMessage> readTs(const QString &path, QString *error)
{
    QList<TsMessage> messages;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot open %1").arg(path);
        return messages;
    }
    QXmlStreamReader xml(&file);
    QString context;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        if (xml.name() == QLatin1String("name")) { // <context><name>, the format's only <name>
            context = xml.readElementText();
        } else if (xml.name() == QLatin1String("message")) {
            TsMessage message;
            message.context = context;
            message.numerus = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
            while (!(xml.isEndElement() && xml.name() == QLatin1String("message")) && !xml.atEnd()) {
                xml.readNext();
                if (!xml.isStartElement())
                    continue;
                if (xml.name() == QLatin1String("source")) {
                    message.source = xml.readElementText();
                } else if (xml.name() == QLatin1String("comment")) {
                    message.comment = xml.readElementText();
                } else if (xml.name() == QLatin1String("translation")) {
                    message.translationType = xml.attributes().value(QLatin1String("type")).toString();
                    if (!message.numerus) {
                        message.forms << xml.readElementText();
                        continue;
                    }
                    while (!(xml.isEndElement() && xml.name() == QLatin1String("translation")) &&
                           !xml.atEnd()) {
                        xml.readNext();
                        if (xml.isStartElement() && xml.name() == QLatin1String("numerusform"))
                            message.forms << xml.readElementText();
                    }
                }
            }
            messages << message;
        }
    }
    if (xml.hasError())
        *error = QStringLiteral("%1:%2: %3").arg(path).arg(xml.lineNumber()).arg(xml.errorString());
    return messages;
}

QString tsPath(const QString &language)
{
    return QStringLiteral(LODESTONE_SOURCE_DIR "/translations/lodestone_%1.ts").arg(language);
}

// Takes out every translator installTranslators() put on the application (they stack otherwise).
void removeTranslators()
{
    for (QTranslator *translator : QCoreApplication::instance()->findChildren<QTranslator *>()) {
        QCoreApplication::removeTranslator(translator);
        delete translator;
    }
}

QString photos(int n)
{
    return QCoreApplication::translate("lodestone::ui::MainWindow", "%n photo(s)", nullptr, n);
}

} // namespace

class TestTranslations : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_windows = 0;

    // What a main window on a fresh library shows, built under the translators installed now.
    struct Shown {
        QStringList menus, tabs, docks;
    };
    Shown showWindow()
    {
        const QString name = QStringLiteral("lib-%1").arg(++m_windows);
        auto controller = std::make_unique<LibraryController>(m_dir.filePath(name));
        auto window = std::make_unique<MainWindow>(controller.get(), Preferences{},
                                                   m_dir.filePath(QStringLiteral("thumbs")));
        window->resize(1000, 700);
        window->show();
        Shown shown;
        for (QAction *menu : window->menuBar()->actions())
            shown.menus << menu->text();
        for (int i = 0; i < window->tabs()->count(); ++i)
            shown.tabs << window->tabs()->tabText(i);
        for (const char *dock : {"libraryDock", "classifyDock"})
            shown.docks << window->findChild<QDockWidget *>(QLatin1String(dock))->windowTitle();
        window.reset();
        controller.reset();
        return shown;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void cleanup() { removeTranslators(); }

    void catalogues_data()
    {
        QTest::addColumn<QString>("language");
        QTest::newRow("de") << QStringLiteral("de");
        QTest::newRow("fr") << QStringLiteral("fr");
        QTest::newRow("en") << QStringLiteral("en");
    }

    // Every message of the .ts file is translated (English: every plural form is there), and the catalogue
    // built into lodestone_ui says the same.
    void catalogues()
    {
        QFETCH(QString, language);
        QString error;
        const QList<TsMessage> messages = readTs(tsPath(language), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(!messages.isEmpty());
        if (language != QLatin1String("en"))
            QVERIFY2(messages.size() > 300, qPrintable(QString::number(messages.size())));

        QTranslator catalogue;
        QVERIFY(catalogue.load(QStringLiteral(":/i18n/lodestone_%1.qm").arg(language)));
        for (const TsMessage &m : messages) {
            const QString where = QStringLiteral("[%1] \"%2\"").arg(m.context, m.source);
            QVERIFY2(
                m.translationType.isEmpty(),
                qPrintable(
                    QStringLiteral("%1 is %2 in lodestone_%3.ts").arg(where, m.translationType, language)));
            QVERIFY2(m.forms.size() == (m.numerus ? 2 : 1),
                     qPrintable(QStringLiteral("%1 has %2 forms").arg(where).arg(m.forms.size())));
            for (const QString &form : m.forms)
                QVERIFY2(!form.isEmpty(), qPrintable(where + QStringLiteral(" has an empty translation")));
            const QByteArray context = m.context.toUtf8(), source = m.source.toUtf8(),
                             comment = m.comment.toUtf8();
            const char *disambiguation = m.comment.isEmpty() ? nullptr : comment.constData();
            if (m.numerus) {
                // Both languages (and English) use the first form for one and the second for two.
                QCOMPARE(catalogue.translate(context.constData(), source.constData(), disambiguation, 1),
                         m.forms[0]);
                QCOMPARE(catalogue.translate(context.constData(), source.constData(), disambiguation, 2),
                         m.forms[1]);
            } else {
                QCOMPARE(catalogue.translate(context.constData(), source.constData(), disambiguation),
                         m.forms[0]);
            }
        }
    }

    void plurals()
    {
        QVERIFY(installTranslators(*QCoreApplication::instance(), QStringLiteral("de")));
        QCOMPARE(photos(1), QStringLiteral("1 Foto"));
        QCOMPARE(photos(2), QStringLiteral("2 Fotos"));
        QCOMPARE(photos(0), QStringLiteral("0 Fotos"));
        removeTranslators();

        QVERIFY(installTranslators(*QCoreApplication::instance(), QStringLiteral("fr")));
        QCOMPARE(photos(1), QStringLiteral("1 photo"));
        QCOMPARE(photos(2), QStringLiteral("2 photos"));
        QCOMPARE(photos(0), QStringLiteral("0 photo")); // French: the singular covers 0
        removeTranslators();

        QVERIFY(installTranslators(*QCoreApplication::instance(), QStringLiteral("en")));
        QCOMPARE(photos(1), QStringLiteral("1 photo"));
        QCOMPARE(photos(2), QStringLiteral("2 photos"));
    }

    // The demo model knows English captions only: its suggested labels and query stay English.
    void demoSuggestionsStayEnglish()
    {
        for (const char *language : {"de", "fr"}) {
            QVERIFY(installTranslators(*QCoreApplication::instance(), QLatin1String(language)));
            for (const char *text : {"a red circle", "a red shape", "an orange shape"})
                QCOMPARE(QCoreApplication::translate("lodestone::ui::MainWindow", text), QLatin1String(text));
            removeTranslators();
        }
    }

    void windowFollowsTheLanguage_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QStringList>("menus");
        QTest::addColumn<QStringList>("tabs");
        QTest::addColumn<QStringList>("docks");
        QTest::newRow("de") << QStringLiteral("de")
                            << QStringList{"&Datei", "&Bearbeiten", "&Ansicht", "&Hilfe"}
                            << QStringList{"Fotos", "Karte", "Trainieren"}
                            << QStringList{"Bibliothek", "Klassifizieren"};
        QTest::newRow("fr") << QStringLiteral("fr")
                            << QStringList{"&Fichier", QStringLiteral("É&dition"), "&Affichage", "Aid&e"}
                            << QStringList{"Photos", "Carte", QStringLiteral("Entraîner")}
                            << QStringList{QStringLiteral("Photothèque"), "Classifier"};
    }

    void windowFollowsTheLanguage()
    {
        QFETCH(QString, language);
        QFETCH(QStringList, menus);
        QFETCH(QStringList, tabs);
        QFETCH(QStringList, docks);

        const Shown english = showWindow();
        QCOMPARE(english.menus, (QStringList{"&File", "&Edit", "&View", "&Help"}));
        QCOMPARE(english.tabs, (QStringList{"Photos", "Map", "Train"}));
        QCOMPARE(english.docks, (QStringList{"Library", "Classify"}));

        QVERIFY(installTranslators(*QCoreApplication::instance(), language));
        const Shown translated = showWindow();
        QCOMPARE(translated.menus, menus);
        QCOMPARE(translated.tabs, tabs);
        QCOMPARE(translated.docks, docks);
        // Everything but the French "Photos" reads differently from the English.
        for (int i = 0; i < english.menus.size(); ++i)
            QVERIFY2(translated.menus[i] != english.menus[i], qPrintable(english.menus[i]));
        for (int i = 0; i < english.tabs.size(); ++i)
            if (!(language == QLatin1String("fr") && english.tabs[i] == QLatin1String("Photos")))
                QVERIFY2(translated.tabs[i] != english.tabs[i], qPrintable(english.tabs[i]));

        // Removing the translators brings English back.
        removeTranslators();
        QCOMPARE(showWindow().menus, english.menus);
    }
};

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
