<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>QObject</name>
    <message numerus="yes">
        <location filename="../ui/window/mainwindow.cpp" line="+61"/>
        <source>%n s</source>
        <translation>
            <numerusform>%n s</numerusform>
            <numerusform>%n s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n min</source>
        <translation>
            <numerusform>%n min</numerusform>
            <numerusform>%n min</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::ClassifyPanel</name>
    <message>
        <location filename="../ui/classify/classifypanel.cpp" line="+73"/>
        <source>&amp;Labels, one per line:</source>
        <translation>&amp;Labels, eines pro Zeile:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a photo of a dog
a photo of a cat
a beach at sunset</source>
        <translation>ein Foto eines Hundes
ein Foto einer Katze
ein Strand bei Sonnenuntergang</translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>Default (%n template(s))</source>
        <translation>
            <numerusform>Standard (%n Vorlage)</numerusform>
            <numerusform>Standard (%n Vorlagen)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>None (labels as typed)</source>
        <translation>Keine (Labels wie eingegeben)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>From file…</source>
        <translation>Aus Datei…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Each label is put into every template (&quot;a photo of a {}.&quot;) and the results are averaged, which usually labels photos better.</source>
        <translation>Jedes Label wird in jede Vorlage eingesetzt („a photo of a {}.“) und die Ergebnisse werden gemittelt; so werden Fotos meist treffender zugeordnet.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Templates:</source>
        <translation>&amp;Vorlagen:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>A photo whose best label has a lower probability than this is put under &quot;None of these&quot;. 0 labels every photo.</source>
        <translation>Ein Foto, dessen bestes Label eine geringere Wahrscheinlichkeit hat, kommt unter „Keines davon“. Bei 0 erhält jedes Foto ein Label.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&quot;None of these&quot; &amp;below:</source>
        <translation>„Keines davon“ &amp;unter:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Whole library</source>
        <translation>Gesamte Bibliothek</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Selected photos</source>
        <translation>Ausgewählte Fotos</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Apply to:</source>
        <translation>&amp;Anwenden auf:</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+238"/>
        <source>Label the photos with the typed labels (Ctrl+Return)</source>
        <translation>Den Fotos die eingegebenen Labels zuordnen (Ctrl+Return)</translation>
    </message>
    <message>
        <location line="-207"/>
        <source>&amp;Show:</source>
        <translation>An&amp;zeigen:</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Photos per label; click a bar to show only its photos</source>
        <translation>Fotos pro Label; klicken Sie auf einen Balken, um nur dessen Fotos anzuzeigen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Export CSV…</source>
        <translation>CSV e&amp;xportieren…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save each photo&apos;s label and probabilities as a CSV file</source>
        <translation>Label und Wahrscheinlichkeiten jedes Fotos als CSV-Datei speichern</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>File: %1</source>
        <translation>Datei: %1</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Choose Prompt Templates</source>
        <translation>Prompt-Vorlagen auswählen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Text files (*.txt);;All files (*)</source>
        <translation>Textdateien (*.txt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The templates in %1 cannot be used: %2</source>
        <translation>Die Vorlagen in %1 können nicht verwendet werden: %2</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>No photos are selected: select some in the grid, or classify the whole library.</source>
        <translation>Es sind keine Fotos ausgewählt: Wählen Sie einige im Raster aus oder klassifizieren Sie die gesamte Bibliothek.</translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>Classifying %n selected photo(s)…</source>
        <translation>
            <numerusform>%n ausgewähltes Foto wird klassifiziert…</numerusform>
            <numerusform>%n ausgewählte Fotos werden klassifiziert…</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Classifying the library…</source>
        <translation>Bibliothek wird klassifiziert…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Classification failed: %1</source>
        <translation>Klassifizierung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Classifying…</source>
        <translation>Wird klassifiziert…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Classify</source>
        <translation>&amp;Klassifizieren</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Load a model first: File → Open Model</source>
        <translation>Laden Sie zuerst ein Modell: Datei → Modell öffnen</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Load a model to classify photos.</source>
        <translation>Laden Sie ein Modell, um Fotos zu klassifizieren.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Type some labels and press Classify.</source>
        <translation>Geben Sie einige Labels ein und klicken Sie auf „Klassifizieren“.</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n photo(s) labelled</source>
        <translation>
            <numerusform>%n Foto mit Label</numerusform>
            <numerusform>%n Fotos mit Label</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n with none of these labels</source>
        <translation>
            <numerusform>%n mit keinem dieser Labels</numerusform>
            <numerusform>%n mit keinem dieser Labels</numerusform>
        </translation>
    </message>
    <message>
        <location line="+9"/>
        <source>All photos</source>
        <translation>Alle Fotos</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>None of these</source>
        <translation>Keines davon</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Export Labels</source>
        <translation>Labels exportieren</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>There are no labels to export yet: classify the photos first.</source>
        <translation>Es gibt noch keine Labels zum Exportieren: Klassifizieren Sie zuerst die Fotos.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Exporting the labels failed: %1</source>
        <translation>Export der Labels fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The labels could not be written to %1: %2</source>
        <translation>Die Labels konnten nicht in %1 geschrieben werden: %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Labels exported to %1</source>
        <translation>Labels nach %1 exportiert</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::FolderListModel</name>
    <message>
        <location filename="../ui/library/folderlistmodel.cpp" line="+30"/>
        <source>%1 (cannot be read)</source>
        <translation>%1 (nicht lesbar)</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%1 (%n photo(s))</source>
        <translation>
            <numerusform>%1 (%n Foto)</numerusform>
            <numerusform>%1 (%n Fotos)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n failed</source>
        <translation>
            <numerusform>%n fehlgeschlagen</numerusform>
            <numerusform>%n fehlgeschlagen</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>indexing…</source>
        <translation>wird indiziert…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1
The folder is missing or cannot be read; its photos stay in the library until it is back or removed.</source>
        <translation>%1
Der Ordner fehlt oder ist nicht lesbar; seine Fotos bleiben in der Bibliothek, bis er wieder verfügbar ist oder entfernt wird.</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::LabelCountModel</name>
    <message>
        <location filename="../ui/classify/labelcountmodel.cpp" line="+56"/>
        <source>None of these</source>
        <translation>Keines davon</translation>
    </message>
    <message numerus="yes">
        <location line="+16"/>
        <source>%1: %n photo(s) (%2%)</source>
        <translation>
            <numerusform>%1: %n Foto (%2&#xa0;%)</numerusform>
            <numerusform>%1: %n Fotos (%2&#xa0;%)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Label</source>
        <translation>Label</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Photos</source>
        <translation>Fotos</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::LibraryController</name>
    <message>
        <location filename="../ui/library/librarycontroller.cpp" line="+142"/>
        <source>The model %1 could not be loaded: %2</source>
        <translation>Das Modell %1 konnte nicht geladen werden: %2</translation>
    </message>
    <message>
        <location line="+157"/>
        <source>Reading the library failed: %1</source>
        <translation>Lesen der Bibliothek fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location line="+29"/>
        <location line="+43"/>
        <source>No model is loaded yet: open one with File → Open Model.</source>
        <translation>Es ist noch kein Modell geladen: Öffnen Sie eines mit Datei → Modell öffnen.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Type at least two labels, one per line.</source>
        <translation>Geben Sie mindestens zwei Labels ein, eines pro Zeile.</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::MainWindow</name>
    <message>
        <location filename="../ui/window/mainwindow.cpp" line="+14"/>
        <source>Lodestone</source>
        <translation>Lodestone</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>No model is loaded. Open a CLIP model (File → Open Model…), or try Lodestone on its built-in demo: a small model trained here in a few minutes on a synthetic world of shapes.</source>
        <translation>Es ist kein Modell geladen. Öffnen Sie ein CLIP-Modell (Datei → Modell öffnen…) oder probieren Sie Lodestone mit der eingebauten Demo aus: einem kleinen Modell, das hier in wenigen Minuten auf einer synthetischen Welt aus Formen trainiert wird.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Try the Demo</source>
        <translation>Demo ausprobieren</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Photos</source>
        <translation>Fotos</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Relevance</source>
        <translation>Relevanz</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sort order</source>
        <translation>Sortierung</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Thumbnail size</source>
        <translation>Größe der Vorschaubilder</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sort:</source>
        <translation>Sortieren:</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Map</source>
        <translation>Karte</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Train</source>
        <translation>Trainieren</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Library</source>
        <translation>Bibliothek</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Add Folder…</source>
        <translation>Ordner hinzufügen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove the selected folder&apos;s photos from the library (nothing is deleted from disk)</source>
        <translation>Die Fotos des ausgewählten Ordners aus der Bibliothek entfernen (auf dem Datenträger wird nichts gelöscht)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Drop folders or photos anywhere on the window to add them.</source>
        <translation>Ziehen Sie Ordner oder Fotos an eine beliebige Stelle des Fensters, um sie hinzuzufügen.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Files that could not be read</source>
        <translation>Nicht lesbare Dateien</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n file(s) could not be read. They are skipped and tried again at the next indexing run.</source>
        <translation>
            <numerusform>%n Datei konnte nicht gelesen werden. Sie wird übersprungen und bei der nächsten Indizierung erneut versucht.</numerusform>
            <numerusform>%n Dateien konnten nicht gelesen werden. Sie werden übersprungen und bei der nächsten Indizierung erneut versucht.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Classify</source>
        <translation>Klassifizieren</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add &amp;Folder…</source>
        <translation>&amp;Ordner hinzufügen…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ctrl+Shift+O</source>
        <translation>Ctrl+Shift+O</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add &amp;Photos…</source>
        <translation>&amp;Fotos hinzufügen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open &amp;Model…</source>
        <translation>&amp;Modell öffnen…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ctrl+M</source>
        <translation>Ctrl+M</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Models and &amp;Downloads…</source>
        <translation>Modelle und &amp;Downloads…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Rescan Library</source>
        <translation>Bibliothek &amp;neu einlesen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Export Labels as CSV…</source>
        <translation>Labels als CSV &amp;exportieren…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export Labels</source>
        <translation>Labels exportieren</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Select &amp;All</source>
        <translation>&amp;Alles auswählen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Find</source>
        <translation>&amp;Suchen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Preferences…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About Lodestone</source>
        <translation>&amp;Über Lodestone</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Loading model %1…</source>
        <translation>Modell %1 wird geladen…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Model ready</source>
        <translation>Modell bereit</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Scanning folders…</source>
        <translation>Ordner werden durchsucht…</translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>Scanning folders: %n file(s) found</source>
        <translation>
            <numerusform>Ordner werden durchsucht: %n Datei gefunden</numerusform>
            <numerusform>Ordner werden durchsucht: %n Dateien gefunden</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Indexing %1 of %2 photos</source>
        <translation>Indizierung: %1 von %2 Fotos</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 left</source>
        <translation>noch %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Indexing stopped</source>
        <translation>Indizierung angehalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Indexing stopped: %1</source>
        <translation>Indizierung angehalten: %1</translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>Ranked %n photo(s) by similarity</source>
        <translation>
            <numerusform>%n Foto nach Ähnlichkeit sortiert</numerusform>
            <numerusform>%n Fotos nach Ähnlichkeit sortiert</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+58"/>
        <source>%n file(s) could not be read. &lt;a href=&quot;#&quot;&gt;Show&lt;/a&gt;</source>
        <translation>
            <numerusform>%n Datei konnte nicht gelesen werden. &lt;a href=&quot;#&quot;&gt;Anzeigen&lt;/a&gt;</numerusform>
            <numerusform>%n Dateien konnten nicht gelesen werden. &lt;a href=&quot;#&quot;&gt;Anzeigen&lt;/a&gt;</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+11"/>
        <source>%n photo(s)</source>
        <translation>
            <numerusform>%n Foto</numerusform>
            <numerusform>%n Fotos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%1 of %n photo(s)</source>
        <translation>
            <numerusform>%1 von %n Foto</numerusform>
            <numerusform>%1 von %n Fotos</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No model</source>
        <translation>Kein Modell</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 · %2-d · %3</source>
        <translation>%1 · %2-dim. · %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1
%2 parameters
identity %3</source>
        <translation>%1
%2 Parameter
Identität %3</translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>Indexing cancelled: %n photo(s) indexed</source>
        <translation>
            <numerusform>Indizierung abgebrochen: %n Foto indiziert</numerusform>
            <numerusform>Indizierung abgebrochen: %n Fotos indiziert</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Library up to date: %n photo(s)</source>
        <translation>
            <numerusform>Bibliothek aktuell: %n Foto</numerusform>
            <numerusform>Bibliothek aktuell: %n Fotos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n new</source>
        <translation>
            <numerusform>%n neu</numerusform>
            <numerusform>%n neu</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n moved</source>
        <translation>
            <numerusform>%n verschoben</numerusform>
            <numerusform>%n verschoben</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n removed</source>
        <translation>
            <numerusform>%n entfernt</numerusform>
            <numerusform>%n entfernt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n failed</source>
        <translation>
            <numerusform>%n fehlgeschlagen</numerusform>
            <numerusform>%n fehlgeschlagen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>%n file(s) could not be read and were skipped.</source>
        <translation>
            <numerusform>%n Datei konnte nicht gelesen werden und wurde übersprungen.</numerusform>
            <numerusform>%n Dateien konnten nicht gelesen werden und wurden übersprungen.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+13"/>
        <source>%n item(s) could not be added.</source>
        <translation>
            <numerusform>%n Element konnte nicht hinzugefügt werden.</numerusform>
            <numerusform>%n Elemente konnten nicht hinzugefügt werden.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Added. The photos are indexed as soon as a model is open (File → Open Model…).</source>
        <translation>Hinzugefügt. Die Fotos werden indiziert, sobald ein Modell geöffnet ist (Datei → Modell öffnen…).</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Add Folder</source>
        <translation>Ordner hinzufügen</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Add Photos</source>
        <translation>Fotos hinzufügen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Photos (*.jpg *.jpeg *.png *.webp *.bmp *.tif *.tiff *.gif)</source>
        <translation>Fotos (*.jpg *.jpeg *.png *.webp *.bmp *.tif *.tiff *.gif)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open Model Folder (Hugging Face, OpenCLIP or Lodestone checkpoint)</source>
        <translation>Modellordner öffnen (Hugging Face, OpenCLIP oder Lodestone-Checkpoint)</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>The new language applies at the next start; the new device at the next model load.</source>
        <translation>Die neue Sprache gilt ab dem nächsten Start, das neue Gerät ab dem nächsten Laden eines Modells.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>About Lodestone</source>
        <translation>Über Lodestone</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;h3&gt;Lodestone %1&lt;/h3&gt;&lt;p&gt;Explore photo collections through a contrastive image–text embedding: search by text or by example, classify with labels you type, and see how your photos cluster.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Lodestone %1&lt;/h3&gt;&lt;p&gt;Erkunden Sie Fotosammlungen über eine kontrastive Bild-Text-Einbettung: Suchen Sie per Text oder anhand eines Beispiels, klassifizieren Sie mit selbst eingegebenen Labels und sehen Sie, wie sich Ihre Fotos gruppieren.&lt;/p&gt;</translation>
    </message>
    <message numerus="yes">
        <location line="+22"/>
        <source>The demo: drawing a world of coloured shapes, then training a small model on it for %n minute(s). Watch its loss fall here; the photos it has not seen are indexed when it is done.</source>
        <translation>
            <numerusform>Die Demo: Eine Welt aus farbigen Formen wird gezeichnet, dann wird darauf %n Minute lang ein kleines Modell trainiert. Hier sehen Sie seinen Verlust sinken; die Fotos, die es nicht gesehen hat, werden danach indiziert.</numerusform>
            <numerusform>Die Demo: Eine Welt aus farbigen Formen wird gezeichnet, dann wird darauf %n Minuten lang ein kleines Modell trainiert. Hier sehen Sie seinen Verlust sinken; die Fotos, die es nicht gesehen hat, werden danach indiziert.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+20"/>
        <source>a red shape</source>
        <translation>a red shape</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>a green shape</source>
        <translation>a green shape</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>a blue shape</source>
        <translation>a blue shape</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a yellow shape</source>
        <translation>a yellow shape</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>a purple shape</source>
        <translation>a purple shape</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>an orange shape</source>
        <translation>an orange shape</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>a red circle</source>
        <translation>a red circle</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The demo is ready. The grid is ranked by “a red circle”: try your own words. Press Classify to sort the photos by the colours typed there, and open the Map tab to see the space, with the probe “red circle - red + blue”.</source>
        <translation>Die Demo ist bereit. Das Raster ist nach „a red circle“ sortiert: Probieren Sie eigene Wörter aus (auf Englisch, denn das Demo-Modell kennt nur englische Beschreibungen). Klicken Sie auf „Klassifizieren“, um die Fotos nach den dort eingetragenen Farben zu sortieren, und öffnen Sie den Tab „Karte“, um den Raum zu sehen, mit der Sonde „red circle - red + blue“.</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::MapPointModel</name>
    <message>
        <location filename="../ui/map/mappointmodel.cpp" line="+64"/>
        <source>Photo</source>
        <translation>Foto</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>x</source>
        <translation>x</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>y</source>
        <translation>y</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cluster</source>
        <translation>Cluster</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Label</source>
        <translation>Label</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::MapView</name>
    <message>
        <location filename="../ui/map/mapview.cpp" line="+55"/>
        <source>Finding neighbours</source>
        <translation>Nachbarn werden gesucht</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Computing affinities</source>
        <translation>Affinitäten werden berechnet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Laying out</source>
        <translation>Anordnung wird berechnet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Clustering</source>
        <translation>Clusterbildung</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>The model changed: compute the map again.</source>
        <translation>Das Modell hat sich geändert: Berechnen Sie die Karte neu.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>PCA</source>
        <translation>PCA</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>t-SNE</source>
        <translation>t-SNE</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>UMAP</source>
        <translation>UMAP</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How the embeddings are projected to two dimensions</source>
        <translation>Wie die Einbettungen auf zwei Dimensionen projiziert werden</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Automatic</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Number of k-means clusters; Automatic picks the one with the best silhouette</source>
        <translation>Anzahl der k-Means-Cluster; „Automatisch“ wählt die Anzahl mit der besten Silhouette</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cluster</source>
        <translation>Cluster</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Label</source>
        <translation>Label</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Colour the points by k-means cluster or by zero-shot label</source>
        <translation>Punkte nach k-Means-Cluster oder nach Zero-Shot-Label einfärben</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Compute</source>
        <translation>Berechnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reset zoom</source>
        <translation>Zoom zurücksetzen</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Method:</source>
        <translation>Methode:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Clusters:</source>
        <translation>Cluster:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Colour by:</source>
        <translation>Färben nach:</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Selected</source>
        <translation>Ausgewählt</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Probe start</source>
        <translation>Startpunkt der Sonde</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Probe</source>
        <translation>Sonde</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Wheel: zoom. Drag: pan. Ctrl+drag: zoom to a rectangle. Shift+drag: select. Click: select a photo.</source>
        <translation>Mausrad: zoomen. Ziehen: verschieben. Ctrl+Ziehen: auf ein Rechteck zoomen. Shift+Ziehen: auswählen. Klicken: ein Foto auswählen.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Probe, e.g. dog - puppy + cat</source>
        <translation>Sonde, z. B. dog - puppy + cat</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Clear probes</source>
        <translation>Sonden entfernen</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Probes</source>
        <translation>Sonden</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>Starting…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Load a model before computing the map.</source>
        <translation>Laden Sie ein Modell, bevor Sie die Karte berechnen.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Computing the %1 map…</source>
        <translation>%1-Karte wird berechnet…</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1: %p%</source>
        <translation>%1: %p&#xa0;%</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The map could not be computed: %1</source>
        <translation>Die Karte konnte nicht berechnet werden: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The map needs at least two photos indexed with the current model.</source>
        <translation>Für die Karte werden mindestens zwei mit dem aktuellen Modell indizierte Fotos benötigt.</translation>
    </message>
    <message numerus="yes">
        <location line="+31"/>
        <source>%n photo(s)</source>
        <translation>
            <numerusform>%n Foto</numerusform>
            <numerusform>%n Fotos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n cluster(s)</source>
        <translation>
            <numerusform>%n Cluster</numerusform>
            <numerusform>%n Cluster</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>No label</source>
        <translation>Kein Label</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Cluster %1</source>
        <translation>Cluster %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+252"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="-121"/>
        <source>Photo %1</source>
        <translation>Foto %1</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Compute a map before adding probes.</source>
        <translation>Berechnen Sie eine Karte, bevor Sie Sonden hinzufügen.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Placing “%1”…</source>
        <translation>„%1“ wird platziert…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Probe “%1”: %2</source>
        <translation>Sonde „%1“: %2</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>Probe “%1” placed.</source>
        <translation>Sonde „%1“ platziert.</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::MessageBar</name>
    <message>
        <location filename="../ui/window/messagebar.cpp" line="+16"/>
        <source>Details…</source>
        <translation>Details…</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Dismiss</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Details</source>
        <translation>Details</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::ModelDownloader</name>
    <message>
        <location filename="../ui/models/modeldownloader.cpp" line="+115"/>
        <source>A download is already running.</source>
        <translation>Es läuft bereits ein Download.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&quot;%1&quot; is not a repository name; expected owner/name, such as openai/clip-vit-base-patch32.</source>
        <translation>„%1“ ist kein Repository-Name; erwartet wird Besitzer/Name, etwa openai/clip-vit-base-patch32.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The download address %1 is not an http or https URL.</source>
        <translation>Die Download-Adresse %1 ist keine http- oder https-URL.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>HTTPS is not available: Qt could not load a TLS backend (OpenSSL %1 is needed). Install OpenSSL, or download the files another way and open the folder.</source>
        <translation>HTTPS ist nicht verfügbar: Qt konnte kein TLS-Backend laden (OpenSSL %1 wird benötigt). Installieren Sie OpenSSL oder laden Sie die Dateien auf anderem Weg herunter und öffnen Sie den Ordner.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Cannot create the folder &quot;%1&quot;.</source>
        <translation>Der Ordner „%1“ kann nicht angelegt werden.</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Cancelled; the partial file is kept and the next download resumes it.</source>
        <translation>Abgebrochen; die unvollständige Datei bleibt erhalten und wird beim nächsten Download fortgesetzt.</translation>
    </message>
    <message>
        <location line="+97"/>
        <source>Not enough disk space in %1: the model needs %2 more, %3 are free.</source>
        <translation>Nicht genug Speicherplatz in %1: Das Modell benötigt weitere %2, frei sind %3.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Checking %1…</source>
        <translation>%1 wird geprüft…</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>%1: too many redirects.</source>
        <translation>%1: zu viele Weiterleitungen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1: the server redirected to an unusable address (%2).</source>
        <translation>%1: Der Server hat auf eine unbrauchbare Adresse weitergeleitet (%2).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1: the server redirected from https to plain http (%2); refused.</source>
        <translation>%1: Der Server hat von https auf unverschlüsseltes http weitergeleitet (%2); abgelehnt.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1: the server redirected to %2, but HTTPS is not available (no TLS backend).</source>
        <translation>%1: Der Server hat auf %2 weitergeleitet, aber HTTPS ist nicht verfügbar (kein TLS-Backend).</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1: the server answered HTTP %2</source>
        <translation>%1: Der Server antwortete mit HTTP %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The repository does not exist, or it is gated or private (signing in is not supported).</source>
        <translation>Das Repository existiert nicht oder ist zugangsbeschränkt oder privat (Anmelden wird nicht unterstützt).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Lodestone reads safetensors weights only; repositories that ship only pytorch_model.bin are not supported.</source>
        <translation>Lodestone liest nur safetensors-Gewichte; Repositorys, die nur pytorch_model.bin enthalten, werden nicht unterstützt.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The repository has no such file; is it a CLIP model in the Hugging Face layout?</source>
        <translation>Das Repository enthält diese Datei nicht; ist es ein CLIP-Modell im Format von Hugging Face?</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+274"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="-263"/>
        <location line="+247"/>
        <source>not in the repository</source>
        <translation>nicht im Repository</translation>
    </message>
    <message>
        <location line="-211"/>
        <source>Downloaded %1 into %2.</source>
        <translation>%1 wurde nach %2 heruntergeladen.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>already downloaded</source>
        <translation>bereits heruntergeladen</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Resuming %1 at %2 (%3 of %4)</source>
        <translation>%1 wird bei %2 fortgesetzt (%3 von %4)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Downloading %1 (%2 of %3)</source>
        <translation>%1 wird heruntergeladen (%2 von %3)</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>%1: the server sent a different range (%2) than requested (from byte %3).</source>
        <translation>%1: Der Server hat einen anderen Bereich (%2) gesendet als angefordert (ab Byte %3).</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>%1: the server sends %2 bytes, but announced %3.</source>
        <translation>%1: Der Server sendet %2 Bytes, hat aber %3 angekündigt.</translation>
    </message>
    <message>
        <location line="+15"/>
        <location line="+16"/>
        <location line="+38"/>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>an unknown size</source>
        <translation>unbekannter Gesamtgröße</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1: the transfer was interrupted after %2 of %3 (%4); the partial file is kept and the next download resumes from there.</source>
        <translation>%1: Die Übertragung wurde nach %2 von %3 unterbrochen (%4); die unvollständige Datei bleibt erhalten und der nächste Download setzt dort fort.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1: the transfer ended after %2 of %3; the partial file is kept and the next download resumes from there.</source>
        <translation>%1: Die Übertragung endete nach %2 von %3; die unvollständige Datei bleibt erhalten und der nächste Download setzt dort fort.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1: received %2 bytes, more than the %3 announced; the file was deleted.</source>
        <translation>%1: %2 Bytes empfangen, mehr als die angekündigten %3; die Datei wurde gelöscht.</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>%1 Retrying (%2 of %3)…</source>
        <translation>%1 Neuer Versuch (%2 von %3)…</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Verifying %1…</source>
        <translation>%1 wird überprüft…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 is corrupted: its sha256 is %2, expected %3. The download was deleted; try again.</source>
        <translation>%1 ist beschädigt: Die sha256-Prüfsumme ist %2, erwartet wurde %3. Der Download wurde gelöscht; versuchen Sie es erneut.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Cannot replace %1.</source>
        <translation>%1 kann nicht ersetzt werden.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot rename %1 to %2.</source>
        <translation>%1 kann nicht in %2 umbenannt werden.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>already downloaded and verified</source>
        <translation>bereits heruntergeladen und geprüft</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::ModelsDialog</name>
    <message>
        <location filename="../ui/models/modelsdialog.cpp" line="+43"/>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Model in use</source>
        <translation>Verwendetes Modell</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open Model Folder…</source>
        <translation>Modellordner öffnen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A Hugging Face or OpenCLIP folder, or a Lodestone checkpoint.</source>
        <translation>Ein Ordner von Hugging Face oder OpenCLIP oder ein Lodestone-Checkpoint.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Embedding width:</source>
        <translation>Einbettungsbreite:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Parameters:</source>
        <translation>Parameter:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Device:</source>
        <translation>Gerät:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Folder:</source>
        <translation>Ordner:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Download from Hugging Face</source>
        <translation>Von Hugging Face herunterladen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A CLIP repository with safetensors weights, as owner/name.</source>
        <translation>Ein CLIP-Repository mit safetensors-Gewichten, als Besitzer/Name.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Download</source>
        <translation>Herunterladen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Use this model</source>
        <translation>Dieses Modell verwenden</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Repository:</source>
        <translation>Repository:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save to:</source>
        <translation>Speichern in:</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Loading %1…</source>
        <translation>%1 wird geladen…</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>none</source>
        <translation>keines</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No model is loaded: open a model folder or download one.</source>
        <translation>Es ist kein Modell geladen: Öffnen Sie einen Modellordner oder laden Sie ein Modell herunter.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 million</source>
        <translation>%1 Millionen</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Open Model Folder</source>
        <translation>Modellordner öffnen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Save the Model In</source>
        <translation>Modell speichern in</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&quot;%1&quot; is not a repository name; expected owner/name, such as %2.</source>
        <translation>„%1“ ist kein Repository-Name; erwartet wird Besitzer/Name, etwa %2.</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>unknown size</source>
        <translation>unbekannte Größe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2 of %3</source>
        <translation>%1: %2 von %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 of %2 in all</source>
        <translation>%1 von insgesamt %2</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::PhotoDelegate</name>
    <message>
        <location filename="../ui/grid/photodelegate.cpp" line="+84"/>
        <source>Cannot show
this photo</source>
        <translation>Foto kann nicht
angezeigt werden</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>none of these</source>
        <translation>keines davon</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 %2%</source>
        <translation>%1 %2&#xa0;%</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::PhotoGridModel</name>
    <message>
        <location filename="../ui/grid/photogridmodel.cpp" line="+56"/>
        <source>Similarity %1</source>
        <translation>Ähnlichkeit %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 (%2%)</source>
        <translation>%1 (%2&#xa0;%)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>None of these labels</source>
        <translation>Keines dieser Labels</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::PhotoGridView</name>
    <message>
        <location filename="../ui/grid/photogridview.cpp" line="+109"/>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Find Similar</source>
        <translation>Ähnliche finden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show in File Manager</source>
        <translation>Im Dateimanager anzeigen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Copy Path</source>
        <translation>Pfad kopieren</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::PhotoViewer</name>
    <message>
        <location filename="../ui/viewer/photoviewer.cpp" line="+63"/>
        <location line="+129"/>
        <source>Photo</source>
        <translation>Foto</translation>
    </message>
    <message>
        <location line="-107"/>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>File name:</source>
        <translation>Dateiname:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Folder:</source>
        <translation>Ordner:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Size:</source>
        <translation>Größe:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dimensions:</source>
        <translation>Abmessungen:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Taken:</source>
        <translation>Aufgenommen:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Modified:</source>
        <translation>Geändert:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Content hash:</source>
        <translation>Inhalts-Hash:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Labels</source>
        <translation>Labels</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Find similar</source>
        <translation>Ähnliche finden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rank the whole library by similarity to this photo</source>
        <translation>Die gesamte Bibliothek nach Ähnlichkeit zu diesem Foto sortieren</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Similar photos</source>
        <translation>Ähnliche Fotos</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>No photo</source>
        <translation>Kein Foto</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>This photo is no longer in the library.</source>
        <translation>Dieses Foto ist nicht mehr in der Bibliothek.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>the file could not be decoded</source>
        <translation>die Datei konnte nicht dekodiert werden</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>unknown error</source>
        <translation>unbekannter Fehler</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>This photo cannot be shown:
%1</source>
        <translation>Dieses Foto kann nicht angezeigt werden:
%1</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>%1 × %2 pixels</source>
        <translation>%1 × %2 Pixel</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+2"/>
        <location line="+3"/>
        <source>Unknown</source>
        <translation>Unbekannt</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Not classified. Type labels in the Classify panel to label your photos.</source>
        <translation>Nicht klassifiziert. Geben Sie im Bereich „Klassifizieren“ Labels ein, um Ihren Fotos Labels zuzuordnen.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Not in the latest classification.</source>
        <translation>Nicht in der letzten Klassifizierung enthalten.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>None of these (best below %1)</source>
        <translation>Keines davon (bestes unter %1)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Load a model to see similar photos.</source>
        <translation>Laden Sie ein Modell, um ähnliche Fotos zu sehen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Finding similar photos…</source>
        <translation>Ähnliche Fotos werden gesucht…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Similar photos cannot be found: %1</source>
        <translation>Ähnliche Fotos können nicht gefunden werden: %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>No similar photos: this photo has no embedding with the current model.</source>
        <translation>Keine ähnlichen Fotos: Dieses Foto hat mit dem aktuellen Modell keine Einbettung.</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>The %n most similar photos</source>
        <translation>
            <numerusform>Das ähnlichste Foto</numerusform>
            <numerusform>Die %n ähnlichsten Fotos</numerusform>
        </translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1
Similarity %2</source>
        <translation>%1
Ähnlichkeit %2</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::PreferencesDialog</name>
    <message>
        <location filename="../ui/settings/preferencesdialog.cpp" line="+31"/>
        <source>Preferences</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Automatic</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CUDA</source>
        <translation>CUDA</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Where the model runs. Automatic uses the GPU when there is one.</source>
        <translation>Wo das Modell ausgeführt wird. „Automatisch“ verwendet die GPU, sofern vorhanden.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Photos the encoder takes at once while indexing.</source>
        <translation>Anzahl der Fotos, die der Encoder beim Indizieren gleichzeitig verarbeitet.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Disk space kept for thumbnails; the oldest are dropped first.</source>
        <translation>Speicherplatz für Vorschaubilder; die ältesten werden zuerst verworfen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>System default</source>
        <translation>Systemstandard</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Device:</source>
        <translation>&amp;Gerät:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Batch size:</source>
        <translation>&amp;Batchgröße:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Thumbnail cache:</source>
        <translation>&amp;Vorschaubild-Cache:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Language:</source>
        <translation>&amp;Sprache:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Device changes apply when a model is next loaded; language changes at the next start.</source>
        <translation>Geräteänderungen gelten beim nächsten Laden eines Modells, Sprachänderungen beim nächsten Start.</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::SearchField</name>
    <message>
        <location filename="../ui/search/searchfield.cpp" line="+28"/>
        <source>Search by text, e.g. &quot;a beach at sunset&quot;, or drop a photo here</source>
        <translation>Per Text suchen, z. B. „ein Strand bei Sonnenuntergang“, oder ein Foto hier ablegen</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::StatusArea</name>
    <message>
        <location filename="../ui/window/statusarea.cpp" line="+21"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::TrainView</name>
    <message>
        <location filename="../ui/train/trainview.cpp" line="+126"/>
        <source>Data</source>
        <translation>Daten</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Folders as labels</source>
        <translation>Ordner als Labels</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Captions CSV/TSV</source>
        <translation>Bildbeschreibungen (CSV/TSV)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sidecar captions</source>
        <translation>Beschreibungen in Begleitdateien</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>WebDataset shards</source>
        <translation>WebDataset-Shards</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Synthetic shapes world</source>
        <translation>Synthetische Formenwelt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Source:</source>
        <translation>&amp;Quelle:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Browse…</source>
        <translation>&amp;Durchsuchen…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Path:</source>
        <translation>&amp;Pfad:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Training photos drawn when the folder holds no shapes world yet</source>
        <translation>Trainingsfotos, die gezeichnet werden, wenn der Ordner noch keine Formenwelt enthält</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>P&amp;hotos:</source>
        <translation>&amp;Fotos:</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>From &amp;scratch:</source>
        <translation>Von Grund auf &amp;neu:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The shape of a new model: tiny, tiny-conv and small train on a CPU</source>
        <translation>Die Architektur eines neuen Modells: tiny, tiny-conv und small lassen sich auf einer CPU trainieren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Fine-tune the current model</source>
        <translation>Aktuelles &amp;Modell feinabstimmen</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Lock &amp;image tower</source>
        <translation>B&amp;ild-Encoder einfrieren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lock &amp;text tower</source>
        <translation>Te&amp;xt-Encoder einfrieren</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Training</source>
        <translation>Training</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Minutes</source>
        <translation>Minuten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Steps</source>
        <translation>Schritte</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The schedule is sized from the speed measured over the first steps</source>
        <translation>Der Zeitplan richtet sich nach der in den ersten Schritten gemessenen Geschwindigkeit</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Length:</source>
        <translation>&amp;Länge:</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Photos per contrastive batch: each is told apart from the others</source>
        <translation>Fotos pro kontrastivem Batch: Jedes wird von den anderen unterschieden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Batch size:</source>
        <translation>Bat&amp;chgröße:</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Peak learning rate, reached after the warm-up, then cosine decay</source>
        <translation>Höchste Lernrate, erreicht nach der Aufwärmphase, danach Kosinus-Abfall</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Learning &amp;rate:</source>
        <translation>Lern&amp;rate:</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+13"/>
        <source> steps</source>
        <translation> Schritte</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>&amp;Warm-up:</source>
        <translation>&amp;Aufwärmphase:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Seed for the initial weights, the data order and the augmentation</source>
        <translation>Seed für die Anfangsgewichte, die Reihenfolge der Daten und die Augmentierung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>S&amp;eed:</source>
        <translation>S&amp;eed:</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>InfoNCE (softmax)</source>
        <translation>InfoNCE (Softmax)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sigmoid</source>
        <translation>Sigmoid</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>L&amp;oss:</source>
        <translation>Verlustfun&amp;ktion:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Off (random batches)</source>
        <translation>Aus (zufällige Batches)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Captions one word apart</source>
        <translation>Beschreibungen, die sich in einem Wort unterscheiden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nearest neighbours</source>
        <translation>Nächste Nachbarn</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Put confusable photos into the same batch</source>
        <translation>Leicht verwechselbare Fotos in denselben Batch legen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Hard negatives:</source>
        <translation>&amp;Harte Negative:</translation>
    </message>
    <message>
        <location line="-17"/>
        <location line="+23"/>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <location line="-22"/>
        <source>Measure recall@1 on held-out photos of the data every this many steps (the shapes world has them); 0: off</source>
        <translation>Recall@1 auf zurückgehaltenen Fotos der Daten in diesem Schrittabstand messen (die Formenwelt enthält solche); 0: aus</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>E&amp;valuate every:</source>
        <translation>E&amp;valuierung alle:</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>HN-NCE: weigh the negatives most like the positive more (0: off)</source>
        <translation>HN-NCE: die dem Positiv ähnlichsten Negative stärker gewichten (0: aus)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hard-negative &amp;weight:</source>
        <translation>Ge&amp;wicht harter Negative:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Augment the photos (crops, flips, blur, colour)</source>
        <translation>Fotos a&amp;ugmentieren (Zuschnitte, Spiegelungen, Unschärfe, Farbe)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Automatic</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GPU (CUDA)</source>
        <translation>GPU (CUDA)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Device:</source>
        <translation>&amp;Gerät:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The run folder: checkpoints, metrics.jsonl and, at the end, the model</source>
        <translation>Der Ordner des Laufs: Checkpoints, metrics.jsonl und am Ende das Modell</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>B&amp;rowse…</source>
        <translation>Durch&amp;suchen…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>S&amp;tart</source>
        <translation>S&amp;tarten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start a new run into the output folder</source>
        <translation>Einen neuen Lauf im Ausgabeordner starten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Pause</source>
        <translation>Unter&amp;brechen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop after this step with a checkpoint; Resume continues from it</source>
        <translation>Nach diesem Schritt mit einem Checkpoint anhalten; „Fortsetzen“ macht dort weiter</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Res&amp;ume</source>
        <translation>Fortset&amp;zen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Continue the run in the output folder from its last checkpoint</source>
        <translation>Den Lauf im Ausgabeordner ab seinem letzten Checkpoint fortsetzen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>St&amp;op</source>
        <translation>St&amp;oppen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>End the run; its latest checkpoint becomes the model</source>
        <translation>Den Lauf beenden; sein letzter Checkpoint wird zum Modell</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%v / %m</source>
        <translation>%v / %m</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Logit scale (1 / temperature)</source>
        <translation>Logit-Skala (1 / Temperatur)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Recall@1 (held-out)</source>
        <translation>Recall@1 (zurückgehaltene Fotos)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>&amp;Use this model</source>
        <translation>Dieses Modell &amp;verwenden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Search and classify with the trained model; the library is re-embedded in the background</source>
        <translation>Mit dem trainierten Modell suchen und klassifizieren; die Bibliothek wird im Hintergrund neu eingebettet</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>A folder of label folders</source>
        <translation>Ein Ordner mit Label-Ordnern</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>One subfolder per label; each photo is captioned with a prompt naming its folder.</source>
        <translation>Ein Unterordner pro Label; jedes Foto wird mit einem Prompt beschrieben, der seinen Ordner nennt.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A .csv or .tsv file</source>
        <translation>Eine .csv- oder .tsv-Datei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Columns path (or image, filepath, file_name) and caption (or text, title); relative paths are relative to the file&apos;s folder.</source>
        <translation>Spalten path (oder image, filepath, file_name) und caption (oder text, title); relative Pfade beziehen sich auf den Ordner der Datei.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A folder of photos</source>
        <translation>Ein Ordner mit Fotos</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Each photo with its caption in a same-named .txt file beside it.</source>
        <translation>Jedes Foto mit seiner Beschreibung in einer gleichnamigen .txt-Datei daneben.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A .tar shard or a pattern</source>
        <translation>Ein .tar-Shard oder ein Muster</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Uncompressed WebDataset shards; a pattern such as shard-{000..009}.tar names several.</source>
        <translation>Unkomprimierte WebDataset-Shards; ein Muster wie shard-{000..009}.tar bezeichnet mehrere.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A folder for the shapes world</source>
        <translation>Ein Ordner für die Formenwelt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Drawn shapes with truthful captions. When the folder holds no world yet, one is drawn first.</source>
        <translation>Gezeichnete Formen mit zutreffenden Beschreibungen. Enthält der Ordner noch keine Welt, wird zuerst eine gezeichnet.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Captions file</source>
        <translation>Beschreibungsdatei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Captions (*.csv *.tsv);;All files (*)</source>
        <translation>Beschreibungen (*.csv *.tsv);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>WebDataset shard</source>
        <translation>WebDataset-Shard</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>WebDataset shards (*.tar);;All files (*)</source>
        <translation>WebDataset-Shards (*.tar);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Training data folder</source>
        <translation>Ordner mit Trainingsdaten</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Run folder</source>
        <translation>Ordner des Laufs</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1 (%2-dimensional), %3</source>
        <translation>%1 (%2-dimensional), %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No model is loaded.</source>
        <translation>Es ist kein Modell geladen.</translation>
    </message>
    <message>
        <location line="+172"/>
        <location line="+41"/>
        <source>Choose the training data first.</source>
        <translation>Wählen Sie zuerst die Trainingsdaten aus.</translation>
    </message>
    <message>
        <location line="-37"/>
        <source>Load a model to fine-tune first.</source>
        <translation>Laden Sie zuerst ein Modell, das feinabgestimmt werden soll.</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>There is no trained model yet.</source>
        <translation>Es gibt noch kein trainiertes Modell.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>There is no library to use the model with.</source>
        <translation>Es gibt keine Bibliothek, mit der das Modell verwendet werden kann.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Loading %1; the library is embedded with it in the background.</source>
        <translation>%1 wird geladen; die Bibliothek wird im Hintergrund damit eingebettet.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Drawing the shapes world: %1 of %2 photos</source>
        <translation>Formenwelt wird gezeichnet: %1 von %2 Fotos</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Reading the data and preparing the model…</source>
        <translation>Daten werden gelesen und das Modell wird vorbereitet…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Drawing the shapes world…</source>
        <translation>Formenwelt wird gezeichnet…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Step %1 of %2 · epoch %3 · loss %4 · logit scale %5 · %6 samples/s · %7 left</source>
        <translation>Schritt %1 von %2 · Epoche %3 · Verlust %4 · Logit-Skala %5 · %6 Beispiele/s · noch %7</translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>%n step(s) skipped (non-finite loss)</source>
        <translation>
            <numerusform>%n Schritt übersprungen (nicht endlicher Verlust)</numerusform>
            <numerusform>%n Schritte übersprungen (nicht endlicher Verlust)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n photo(s) could not be read</source>
        <translation>
            <numerusform>%n Foto konnte nicht gelesen werden</numerusform>
            <numerusform>%n Fotos konnten nicht gelesen werden</numerusform>
        </translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Paused at step %1. Resume continues from its checkpoint.</source>
        <translation>Bei Schritt %1 unterbrochen. „Fortsetzen“ macht ab dessen Checkpoint weiter.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Stopped before the first step.</source>
        <translation>Vor dem ersten Schritt gestoppt.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Stopped at step %1. Model: %2</source>
        <translation>Bei Schritt %1 gestoppt. Modell: %2</translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>Finished: %n step(s), final loss %1, %2. Model: %3</source>
        <translation>
            <numerusform>Fertig: %n Schritt, endgültiger Verlust %1, %2. Modell: %3</numerusform>
            <numerusform>Fertig: %n Schritte, endgültiger Verlust %1, %2. Modell: %3</numerusform>
        </translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Training failed: %1</source>
        <translation>Training fehlgeschlagen: %1</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::TrainingCurveModel</name>
    <message>
        <location filename="../ui/train/trainingcurvemodel.cpp" line="+110"/>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Logit scale</source>
        <translation>Logit-Skala</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Learning rate</source>
        <translation>Lernrate</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Recall@1 (held-out)</source>
        <translation>Recall@1 (zurückgehaltene Fotos)</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/desktop/main.cpp" line="+35"/>
        <source>Explore photo collections through a contrastive image-text embedding.</source>
        <translation>Fotosammlungen über eine kontrastive Bild-Text-Einbettung erkunden.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Model folder or file (Hugging Face, OpenCLIP, Lodestone checkpoint).</source>
        <translation>Modellordner oder -datei (Hugging Face, OpenCLIP, Lodestone-Checkpoint).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Library folder (default: in the user&apos;s data folder).</source>
        <translation>Bibliotheksordner (Standard: im Datenordner des Benutzers).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Start the built-in demo when no model is loaded: a small model trained here on a synthetic world of shapes, then search, labels and the map to try.</source>
        <translation>Die eingebaute Demo starten, wenn kein Modell geladen ist: ein kleines Modell, das hier auf einer synthetischen Welt aus Formen trainiert wird, danach Suche, Labels und Karte zum Ausprobieren.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Photo folders to add and index.</source>
        <translation>Fotoordner, die hinzugefügt und indiziert werden sollen.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Lodestone</source>
        <translation>Lodestone</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The library %1 cannot be opened: %2</source>
        <translation>Die Bibliothek %1 kann nicht geöffnet werden: %2</translation>
    </message>
</context>
</TS>
