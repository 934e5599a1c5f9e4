<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
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
        <translation>É&amp;tiquettes, une par ligne&#xa0;:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a photo of a dog
a photo of a cat
a beach at sunset</source>
        <translation>une photo d&apos;un chien
une photo d&apos;un chat
une plage au coucher du soleil</translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>Default (%n template(s))</source>
        <translation>
            <numerusform>Par défaut (%n gabarit)</numerusform>
            <numerusform>Par défaut (%n gabarits)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>None (labels as typed)</source>
        <translation>Aucun (étiquettes telles que saisies)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>From file…</source>
        <translation>Depuis un fichier…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Each label is put into every template (&quot;a photo of a {}.&quot;) and the results are averaged, which usually labels photos better.</source>
        <translation>Chaque étiquette est insérée dans chaque gabarit («&#xa0;a photo of a {}.&#xa0;») et les résultats sont moyennés, ce qui étiquette généralement mieux les photos.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Templates:</source>
        <translation>&amp;Gabarits&#xa0;:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>A photo whose best label has a lower probability than this is put under &quot;None of these&quot;. 0 labels every photo.</source>
        <translation>Une photo dont la meilleure étiquette a une probabilité inférieure à ce seuil est classée dans «&#xa0;Aucune de ces étiquettes&#xa0;». À 0, chaque photo reçoit une étiquette.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&quot;None of these&quot; &amp;below:</source>
        <translation>«&#xa0;Aucune de ces étiquettes&#xa0;» &amp;sous&#xa0;:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Whole library</source>
        <translation>Toute la photothèque</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Selected photos</source>
        <translation>Photos sélectionnées</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Apply to:</source>
        <translation>&amp;Appliquer à&#xa0;:</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+238"/>
        <source>Label the photos with the typed labels (Ctrl+Return)</source>
        <translation>Étiqueter les photos avec les étiquettes saisies (Ctrl+Return)</translation>
    </message>
    <message>
        <location line="-207"/>
        <source>&amp;Show:</source>
        <translation>A&amp;fficher&#xa0;:</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Photos per label; click a bar to show only its photos</source>
        <translation>Photos par étiquette&#xa0;; cliquez sur une barre pour n&apos;afficher que ses photos</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Export CSV…</source>
        <translation>&amp;Exporter en CSV…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save each photo&apos;s label and probabilities as a CSV file</source>
        <translation>Enregistrer l&apos;étiquette et les probabilités de chaque photo dans un fichier CSV</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>File: %1</source>
        <translation>Fichier&#xa0;: %1</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Choose Prompt Templates</source>
        <translation>Choisir des gabarits de prompt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Text files (*.txt);;All files (*)</source>
        <translation>Fichiers texte (*.txt);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The templates in %1 cannot be used: %2</source>
        <translation>Les gabarits de %1 ne peuvent pas être utilisés&#xa0;: %2</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>No photos are selected: select some in the grid, or classify the whole library.</source>
        <translation>Aucune photo n&apos;est sélectionnée&#xa0;: sélectionnez-en dans la grille, ou classifiez toute la photothèque.</translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>Classifying %n selected photo(s)…</source>
        <translation>
            <numerusform>Classification de %n photo sélectionnée…</numerusform>
            <numerusform>Classification de %n photos sélectionnées…</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Classifying the library…</source>
        <translation>Classification de la photothèque…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Classification failed: %1</source>
        <translation>Échec de la classification&#xa0;: %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Classifying…</source>
        <translation>Classification…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Classify</source>
        <translation>&amp;Classifier</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Load a model first: File → Open Model</source>
        <translation>Chargez d&apos;abord un modèle&#xa0;: Fichier → Ouvrir un modèle</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Load a model to classify photos.</source>
        <translation>Chargez un modèle pour classifier les photos.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Type some labels and press Classify.</source>
        <translation>Saisissez des étiquettes et cliquez sur «&#xa0;Classifier&#xa0;».</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n photo(s) labelled</source>
        <translation>
            <numerusform>%n photo étiquetée</numerusform>
            <numerusform>%n photos étiquetées</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n with none of these labels</source>
        <translation>
            <numerusform>%n sans aucune de ces étiquettes</numerusform>
            <numerusform>%n sans aucune de ces étiquettes</numerusform>
        </translation>
    </message>
    <message>
        <location line="+9"/>
        <source>All photos</source>
        <translation>Toutes les photos</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>None of these</source>
        <translation>Aucune de ces étiquettes</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Export Labels</source>
        <translation>Exporter les étiquettes</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CSV files (*.csv)</source>
        <translation>Fichiers CSV (*.csv)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>There are no labels to export yet: classify the photos first.</source>
        <translation>Il n&apos;y a pas encore d&apos;étiquettes à exporter&#xa0;: classifiez d&apos;abord les photos.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Exporting the labels failed: %1</source>
        <translation>Échec de l&apos;exportation des étiquettes&#xa0;: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The labels could not be written to %1: %2</source>
        <translation>Impossible d&apos;écrire les étiquettes dans %1&#xa0;: %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Labels exported to %1</source>
        <translation>Étiquettes exportées vers %1</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::FolderListModel</name>
    <message>
        <location filename="../ui/library/folderlistmodel.cpp" line="+30"/>
        <source>%1 (cannot be read)</source>
        <translation>%1 (illisible)</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%1 (%n photo(s))</source>
        <translation>
            <numerusform>%1 (%n photo)</numerusform>
            <numerusform>%1 (%n photos)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n failed</source>
        <translation>
            <numerusform>%n en échec</numerusform>
            <numerusform>%n en échec</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>indexing…</source>
        <translation>indexation en cours…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1
The folder is missing or cannot be read; its photos stay in the library until it is back or removed.</source>
        <translation>%1
Le dossier est introuvable ou illisible&#xa0;; ses photos restent dans la photothèque jusqu&apos;à ce qu&apos;il réapparaisse ou soit retiré.</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::LabelCountModel</name>
    <message>
        <location filename="../ui/classify/labelcountmodel.cpp" line="+56"/>
        <source>None of these</source>
        <translation>Aucune de ces étiquettes</translation>
    </message>
    <message numerus="yes">
        <location line="+16"/>
        <source>%1: %n photo(s) (%2%)</source>
        <translation>
            <numerusform>%1&#xa0;: %n photo (%2&#xa0;%)</numerusform>
            <numerusform>%1&#xa0;: %n photos (%2&#xa0;%)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Label</source>
        <translation>Étiquette</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Photos</source>
        <translation>Photos</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::LibraryController</name>
    <message>
        <location filename="../ui/library/librarycontroller.cpp" line="+142"/>
        <source>The model %1 could not be loaded: %2</source>
        <translation>Impossible de charger le modèle %1&#xa0;: %2</translation>
    </message>
    <message>
        <location line="+157"/>
        <source>Reading the library failed: %1</source>
        <translation>Échec de la lecture de la photothèque&#xa0;: %1</translation>
    </message>
    <message>
        <location line="+29"/>
        <location line="+43"/>
        <source>No model is loaded yet: open one with File → Open Model.</source>
        <translation>Aucun modèle n&apos;est encore chargé&#xa0;: ouvrez-en un avec Fichier → Ouvrir un modèle.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Type at least two labels, one per line.</source>
        <translation>Saisissez au moins deux étiquettes, une par ligne.</translation>
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
        <translation>Aucun modèle n&apos;est chargé. Ouvrez un modèle CLIP (Fichier → Ouvrir un modèle…) ou essayez Lodestone avec sa démo intégrée&#xa0;: un petit modèle entraîné ici en quelques minutes sur un monde synthétique de formes.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Try the Demo</source>
        <translation>Essayer la démo</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Photos</source>
        <translation>Photos</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Relevance</source>
        <translation>Pertinence</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sort order</source>
        <translation>Ordre de tri</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Thumbnail size</source>
        <translation>Taille des miniatures</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sort:</source>
        <translation>Trier&#xa0;:</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Map</source>
        <translation>Carte</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Train</source>
        <translation>Entraîner</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Library</source>
        <translation>Photothèque</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Add Folder…</source>
        <translation>Ajouter un dossier…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove</source>
        <translation>Retirer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove the selected folder&apos;s photos from the library (nothing is deleted from disk)</source>
        <translation>Retirer de la photothèque les photos du dossier sélectionné (rien n&apos;est supprimé du disque)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Drop folders or photos anywhere on the window to add them.</source>
        <translation>Déposez des dossiers ou des photos n&apos;importe où dans la fenêtre pour les ajouter.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Files that could not be read</source>
        <translation>Fichiers illisibles</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n file(s) could not be read. They are skipped and tried again at the next indexing run.</source>
        <translation>
            <numerusform>%n fichier n&apos;a pas pu être lu. Il est ignoré et sera réessayé lors de la prochaine indexation.</numerusform>
            <numerusform>%n fichiers n&apos;ont pas pu être lus. Ils sont ignorés et seront réessayés lors de la prochaine indexation.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Classify</source>
        <translation>Classifier</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Cancelling…</source>
        <translation>Annulation…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add &amp;Folder…</source>
        <translation>Ajouter un &amp;dossier…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ctrl+Shift+O</source>
        <translation>Ctrl+Shift+O</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add &amp;Photos…</source>
        <translation>Ajouter des &amp;photos…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open &amp;Model…</source>
        <translation>Ouvrir un &amp;modèle…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ctrl+M</source>
        <translation>Ctrl+M</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Models and &amp;Downloads…</source>
        <translation>Modèles et &amp;téléchargements…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Rescan Library</source>
        <translation>&amp;Réanalyser la photothèque</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Export Labels as CSV…</source>
        <translation>&amp;Exporter les étiquettes en CSV…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export Labels</source>
        <translation>Exporter les étiquettes</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CSV files (*.csv)</source>
        <translation>Fichiers CSV (*.csv)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Edit</source>
        <translation>É&amp;dition</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Select &amp;All</source>
        <translation>&amp;Tout sélectionner</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Find</source>
        <translation>&amp;Rechercher</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Preferences…</source>
        <translation>&amp;Préférences…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Help</source>
        <translation>Aid&amp;e</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About Lodestone</source>
        <translation>À &amp;propos de Lodestone</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Loading model %1…</source>
        <translation>Chargement du modèle %1…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Model ready</source>
        <translation>Modèle prêt</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Scanning folders…</source>
        <translation>Analyse des dossiers…</translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>Scanning folders: %n file(s) found</source>
        <translation>
            <numerusform>Analyse des dossiers&#xa0;: %n fichier trouvé</numerusform>
            <numerusform>Analyse des dossiers&#xa0;: %n fichiers trouvés</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Indexing %1 of %2 photos</source>
        <translation>Indexation&#xa0;: %1 photos sur %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 left</source>
        <translation>encore %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Indexing stopped</source>
        <translation>Indexation arrêtée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Indexing stopped: %1</source>
        <translation>Indexation arrêtée&#xa0;: %1</translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>Ranked %n photo(s) by similarity</source>
        <translation>
            <numerusform>%n photo classée par similarité</numerusform>
            <numerusform>%n photos classées par similarité</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+58"/>
        <source>%n file(s) could not be read. &lt;a href=&quot;#&quot;&gt;Show&lt;/a&gt;</source>
        <translation>
            <numerusform>%n fichier n&apos;a pas pu être lu. &lt;a href=&quot;#&quot;&gt;Afficher&lt;/a&gt;</numerusform>
            <numerusform>%n fichiers n&apos;ont pas pu être lus. &lt;a href=&quot;#&quot;&gt;Afficher&lt;/a&gt;</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+11"/>
        <source>%n photo(s)</source>
        <translation>
            <numerusform>%n photo</numerusform>
            <numerusform>%n photos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%1 of %n photo(s)</source>
        <translation>
            <numerusform>%1 sur %n photo</numerusform>
            <numerusform>%1 sur %n photos</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No model</source>
        <translation>Aucun modèle</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 · %2-d · %3</source>
        <translation>%1 · %2 dim. · %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1
%2 parameters
identity %3</source>
        <translation>%1
%2 paramètres
identité %3</translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>Indexing cancelled: %n photo(s) indexed</source>
        <translation>
            <numerusform>Indexation annulée&#xa0;: %n photo indexée</numerusform>
            <numerusform>Indexation annulée&#xa0;: %n photos indexées</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Library up to date: %n photo(s)</source>
        <translation>
            <numerusform>Photothèque à jour : %n photo</numerusform>
            <numerusform>Photothèque à jour : %n photos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n new</source>
        <translation>
            <numerusform>%n nouvelle</numerusform>
            <numerusform>%n nouvelles</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n moved</source>
        <translation>
            <numerusform>%n déplacée</numerusform>
            <numerusform>%n déplacées</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n removed</source>
        <translation>
            <numerusform>%n retirée</numerusform>
            <numerusform>%n retirées</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n failed</source>
        <translation>
            <numerusform>%n en échec</numerusform>
            <numerusform>%n en échec</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>%n file(s) could not be read and were skipped.</source>
        <translation>
            <numerusform>%n fichier n&apos;a pas pu être lu et a été ignoré.</numerusform>
            <numerusform>%n fichiers n&apos;ont pas pu être lus et ont été ignorés.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+13"/>
        <source>%n item(s) could not be added.</source>
        <translation>
            <numerusform>%n élément n&apos;a pas pu être ajouté.</numerusform>
            <numerusform>%n éléments n&apos;ont pas pu être ajoutés.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Added. The photos are indexed as soon as a model is open (File → Open Model…).</source>
        <translation>Ajouté. Les photos seront indexées dès qu&apos;un modèle sera ouvert (Fichier → Ouvrir un modèle…).</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Add Folder</source>
        <translation>Ajouter un dossier</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Add Photos</source>
        <translation>Ajouter des photos</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Photos (*.jpg *.jpeg *.png *.webp *.bmp *.tif *.tiff *.gif)</source>
        <translation>Photos (*.jpg *.jpeg *.png *.webp *.bmp *.tif *.tiff *.gif)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open Model Folder (Hugging Face, OpenCLIP or Lodestone checkpoint)</source>
        <translation>Ouvrir un dossier de modèle (Hugging Face, OpenCLIP ou point de contrôle Lodestone)</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>The new language applies at the next start; the new device at the next model load.</source>
        <translation>La nouvelle langue s&apos;applique au prochain démarrage&#xa0;; le nouveau matériel, au prochain chargement d&apos;un modèle.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>About Lodestone</source>
        <translation>À propos de Lodestone</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;h3&gt;Lodestone %1&lt;/h3&gt;&lt;p&gt;Explore photo collections through a contrastive image–text embedding: search by text or by example, classify with labels you type, and see how your photos cluster.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Lodestone %1&lt;/h3&gt;&lt;p&gt;Explorez vos collections de photos grâce à un plongement contrastif image–texte&#xa0;: recherchez par texte ou par l&apos;exemple, classifiez avec les étiquettes que vous saisissez et voyez comment vos photos se regroupent.&lt;/p&gt;</translation>
    </message>
    <message numerus="yes">
        <location line="+22"/>
        <source>The demo: drawing a world of coloured shapes, then training a small model on it for %n minute(s). Watch its loss fall here; the photos it has not seen are indexed when it is done.</source>
        <translation>
            <numerusform>La démo&#xa0;: dessin d&apos;un monde de formes colorées, puis entraînement d&apos;un petit modèle sur ce monde pendant %n minute. Observez ici sa perte diminuer&#xa0;; les photos qu&apos;il n&apos;a pas vues sont indexées une fois l&apos;entraînement terminé.</numerusform>
            <numerusform>La démo&#xa0;: dessin d&apos;un monde de formes colorées, puis entraînement d&apos;un petit modèle sur ce monde pendant %n minutes. Observez ici sa perte diminuer&#xa0;; les photos qu&apos;il n&apos;a pas vues sont indexées une fois l&apos;entraînement terminé.</numerusform>
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
        <translation>La démo est prête. La grille est classée selon «&#xa0;a red circle&#xa0;»&#xa0;: essayez vos propres mots (en anglais, car le modèle de démo n&apos;a appris que des légendes anglaises). Cliquez sur «&#xa0;Classifier&#xa0;» pour trier les photos selon les couleurs qui y sont saisies, et ouvrez l&apos;onglet «&#xa0;Carte&#xa0;» pour voir l&apos;espace, avec la sonde «&#xa0;red circle - red + blue&#xa0;».</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::MapPointModel</name>
    <message>
        <location filename="../ui/map/mappointmodel.cpp" line="+64"/>
        <source>Photo</source>
        <translation>Photo</translation>
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
        <translation>Groupe</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Label</source>
        <translation>Étiquette</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::MapView</name>
    <message>
        <location filename="../ui/map/mapview.cpp" line="+55"/>
        <source>Finding neighbours</source>
        <translation>Recherche des voisins</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Computing affinities</source>
        <translation>Calcul des affinités</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Laying out</source>
        <translation>Calcul de la disposition</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Clustering</source>
        <translation>Regroupement</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>The model changed: compute the map again.</source>
        <translation>Le modèle a changé&#xa0;: recalculez la carte.</translation>
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
        <translation>Comment les plongements sont projetés en deux dimensions</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Automatic</source>
        <translation>Automatique</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Number of k-means clusters; Automatic picks the one with the best silhouette</source>
        <translation>Nombre de groupes k-means&#xa0;; «&#xa0;Automatique&#xa0;» choisit celui qui donne la meilleure silhouette</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cluster</source>
        <translation>Groupe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Label</source>
        <translation>Étiquette</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Colour the points by k-means cluster or by zero-shot label</source>
        <translation>Colorer les points par groupe k-means ou par étiquette zero-shot</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Compute</source>
        <translation>Calculer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reset zoom</source>
        <translation>Réinitialiser le zoom</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Method:</source>
        <translation>Méthode&#xa0;:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Clusters:</source>
        <translation>Groupes&#xa0;:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Colour by:</source>
        <translation>Colorer par&#xa0;:</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Selected</source>
        <translation>Sélection</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Probe start</source>
        <translation>Départ de la sonde</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Probe</source>
        <translation>Sonde</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Wheel: zoom. Drag: pan. Ctrl+drag: zoom to a rectangle. Shift+drag: select. Click: select a photo.</source>
        <translation>Molette&#xa0;: zoomer. Glisser&#xa0;: déplacer. Ctrl+glisser&#xa0;: zoomer sur un rectangle. Shift+glisser&#xa0;: sélectionner. Clic&#xa0;: sélectionner une photo.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Probe, e.g. dog - puppy + cat</source>
        <translation>Sonde, par ex. dog - puppy + cat</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Clear probes</source>
        <translation>Effacer les sondes</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Probes</source>
        <translation>Sondes</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>Starting…</source>
        <translation>Démarrage…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Load a model before computing the map.</source>
        <translation>Chargez un modèle avant de calculer la carte.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Computing the %1 map…</source>
        <translation>Calcul de la carte %1…</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Cancelling…</source>
        <translation>Annulation…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1: %p%</source>
        <translation>%1&#xa0;: %p&#xa0;%</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Cancelled.</source>
        <translation>Annulé.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The map could not be computed: %1</source>
        <translation>Impossible de calculer la carte&#xa0;: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The map needs at least two photos indexed with the current model.</source>
        <translation>La carte nécessite au moins deux photos indexées avec le modèle actuel.</translation>
    </message>
    <message numerus="yes">
        <location line="+31"/>
        <source>%n photo(s)</source>
        <translation>
            <numerusform>%n photo</numerusform>
            <numerusform>%n photos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n cluster(s)</source>
        <translation>
            <numerusform>%n groupe</numerusform>
            <numerusform>%n groupes</numerusform>
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
        <translation>Sans étiquette</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Cluster %1</source>
        <translation>Groupe %1</translation>
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
        <translation>Photo %1</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Compute a map before adding probes.</source>
        <translation>Calculez une carte avant d&apos;ajouter des sondes.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Placing “%1”…</source>
        <translation>Placement de «&#xa0;%1&#xa0;»…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Probe “%1”: %2</source>
        <translation>Sonde «&#xa0;%1&#xa0;»&#xa0;: %2</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>Probe “%1” placed.</source>
        <translation>Sonde «&#xa0;%1&#xa0;» placée.</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::MessageBar</name>
    <message>
        <location filename="../ui/window/messagebar.cpp" line="+16"/>
        <source>Details…</source>
        <translation>Détails…</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Dismiss</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Details</source>
        <translation>Détails</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::ModelDownloader</name>
    <message>
        <location filename="../ui/models/modeldownloader.cpp" line="+115"/>
        <source>A download is already running.</source>
        <translation>Un téléchargement est déjà en cours.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&quot;%1&quot; is not a repository name; expected owner/name, such as openai/clip-vit-base-patch32.</source>
        <translation>«&#xa0;%1&#xa0;» n&apos;est pas un nom de dépôt&#xa0;; format attendu&#xa0;: propriétaire/nom, par exemple openai/clip-vit-base-patch32.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The download address %1 is not an http or https URL.</source>
        <translation>L&apos;adresse de téléchargement %1 n&apos;est pas une URL http ou https.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>HTTPS is not available: Qt could not load a TLS backend (OpenSSL %1 is needed). Install OpenSSL, or download the files another way and open the folder.</source>
        <translation>HTTPS n&apos;est pas disponible&#xa0;: Qt n&apos;a pas pu charger de backend TLS (OpenSSL %1 est nécessaire). Installez OpenSSL, ou téléchargez les fichiers autrement et ouvrez le dossier.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Cannot create the folder &quot;%1&quot;.</source>
        <translation>Impossible de créer le dossier «&#xa0;%1&#xa0;».</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Cancelled; the partial file is kept and the next download resumes it.</source>
        <translation>Annulé&#xa0;; le fichier partiel est conservé et le prochain téléchargement le reprendra.</translation>
    </message>
    <message>
        <location line="+97"/>
        <source>Not enough disk space in %1: the model needs %2 more, %3 are free.</source>
        <translation>Espace disque insuffisant dans %1&#xa0;: le modèle nécessite encore %2, et %3 sont libres.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Checking %1…</source>
        <translation>Contrôle de %1…</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>%1: too many redirects.</source>
        <translation>%1&#xa0;: trop de redirections.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1: the server redirected to an unusable address (%2).</source>
        <translation>%1&#xa0;: le serveur a redirigé vers une adresse inutilisable (%2).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1: the server redirected from https to plain http (%2); refused.</source>
        <translation>%1&#xa0;: le serveur a redirigé de https vers http non chiffré (%2)&#xa0;; refusé.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1: the server redirected to %2, but HTTPS is not available (no TLS backend).</source>
        <translation>%1&#xa0;: le serveur a redirigé vers %2, mais HTTPS n&apos;est pas disponible (aucun backend TLS).</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1: the server answered HTTP %2</source>
        <translation>%1&#xa0;: le serveur a répondu HTTP %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The repository does not exist, or it is gated or private (signing in is not supported).</source>
        <translation>Le dépôt n&apos;existe pas, ou son accès est restreint ou privé (la connexion n&apos;est pas prise en charge).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Lodestone reads safetensors weights only; repositories that ship only pytorch_model.bin are not supported.</source>
        <translation>Lodestone ne lit que les poids safetensors&#xa0;; les dépôts qui ne fournissent que pytorch_model.bin ne sont pas pris en charge.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The repository has no such file; is it a CLIP model in the Hugging Face layout?</source>
        <translation>Le dépôt ne contient pas ce fichier&#xa0;; s&apos;agit-il d&apos;un modèle CLIP au format Hugging Face&#xa0;?</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+274"/>
        <source>%1: %2</source>
        <translation>%1&#xa0;: %2</translation>
    </message>
    <message>
        <location line="-263"/>
        <location line="+247"/>
        <source>not in the repository</source>
        <translation>absent du dépôt</translation>
    </message>
    <message>
        <location line="-211"/>
        <source>Downloaded %1 into %2.</source>
        <translation>%1 téléchargé dans %2.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>already downloaded</source>
        <translation>déjà téléchargé</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Resuming %1 at %2 (%3 of %4)</source>
        <translation>Reprise de %1 à %2 (%3 sur %4)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Downloading %1 (%2 of %3)</source>
        <translation>Téléchargement de %1 (%2 sur %3)</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>%1: the server sent a different range (%2) than requested (from byte %3).</source>
        <translation>%1&#xa0;: le serveur a envoyé une plage (%2) différente de celle demandée (à partir de l&apos;octet %3).</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>%1: the server sends %2 bytes, but announced %3.</source>
        <translation>%1&#xa0;: le serveur envoie %2 octets, mais en avait annoncé %3.</translation>
    </message>
    <message>
        <location line="+15"/>
        <location line="+16"/>
        <location line="+38"/>
        <source>Cannot write %1: %2</source>
        <translation>Impossible d&apos;écrire %1&#xa0;: %2</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>an unknown size</source>
        <translation>une taille inconnue</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1: the transfer was interrupted after %2 of %3 (%4); the partial file is kept and the next download resumes from there.</source>
        <translation>%1&#xa0;: le transfert a été interrompu après %2 sur %3 (%4)&#xa0;; le fichier partiel est conservé et le prochain téléchargement reprendra à partir de là.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1: the transfer ended after %2 of %3; the partial file is kept and the next download resumes from there.</source>
        <translation>%1&#xa0;: le transfert s&apos;est terminé après %2 sur %3&#xa0;; le fichier partiel est conservé et le prochain téléchargement reprendra à partir de là.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1: received %2 bytes, more than the %3 announced; the file was deleted.</source>
        <translation>%1&#xa0;: %2 octets reçus, plus que les %3 annoncés&#xa0;; le fichier a été supprimé.</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>%1 Retrying (%2 of %3)…</source>
        <translation>%1 Nouvelle tentative (%2 sur %3)…</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Verifying %1…</source>
        <translation>Vérification de %1…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Cannot read %1: %2</source>
        <translation>Impossible de lire %1&#xa0;: %2</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 is corrupted: its sha256 is %2, expected %3. The download was deleted; try again.</source>
        <translation>%1 est corrompu&#xa0;: son sha256 est %2 au lieu de %3. Le téléchargement a été supprimé&#xa0;; réessayez.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Cannot replace %1.</source>
        <translation>Impossible de remplacer %1.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot rename %1 to %2.</source>
        <translation>Impossible de renommer %1 en %2.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>already downloaded and verified</source>
        <translation>déjà téléchargé et vérifié</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::ModelsDialog</name>
    <message>
        <location filename="../ui/models/modelsdialog.cpp" line="+43"/>
        <source>Models</source>
        <translation>Modèles</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Model in use</source>
        <translation>Modèle utilisé</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open Model Folder…</source>
        <translation>Ouvrir un dossier de modèle…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A Hugging Face or OpenCLIP folder, or a Lodestone checkpoint.</source>
        <translation>Un dossier Hugging Face ou OpenCLIP, ou un point de contrôle Lodestone.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Name:</source>
        <translation>Nom&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Embedding width:</source>
        <translation>Dimension du plongement&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Parameters:</source>
        <translation>Paramètres&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Device:</source>
        <translation>Matériel&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Folder:</source>
        <translation>Dossier&#xa0;:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Download from Hugging Face</source>
        <translation>Télécharger depuis Hugging Face</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A CLIP repository with safetensors weights, as owner/name.</source>
        <translation>Un dépôt CLIP avec des poids safetensors, sous la forme propriétaire/nom.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Download</source>
        <translation>Télécharger</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Use this model</source>
        <translation>Utiliser ce modèle</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Repository:</source>
        <translation>Dépôt&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save to:</source>
        <translation>Enregistrer dans&#xa0;:</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Loading %1…</source>
        <translation>Chargement de %1…</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No model is loaded: open a model folder or download one.</source>
        <translation>Aucun modèle n&apos;est chargé&#xa0;: ouvrez un dossier de modèle ou téléchargez-en un.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 million</source>
        <translation>%1 millions</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Open Model Folder</source>
        <translation>Ouvrir un dossier de modèle</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Save the Model In</source>
        <translation>Enregistrer le modèle dans</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&quot;%1&quot; is not a repository name; expected owner/name, such as %2.</source>
        <translation>«&#xa0;%1&#xa0;» n&apos;est pas un nom de dépôt&#xa0;; format attendu&#xa0;: propriétaire/nom, par exemple %2.</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>unknown size</source>
        <translation>taille inconnue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2 of %3</source>
        <translation>%1&#xa0;: %2 sur %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 of %2 in all</source>
        <translation>%1 sur %2 au total</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::PhotoDelegate</name>
    <message>
        <location filename="../ui/grid/photodelegate.cpp" line="+84"/>
        <source>Cannot show
this photo</source>
        <translation>Impossible d&apos;afficher
cette photo</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>none of these</source>
        <translation>aucune de ces étiquettes</translation>
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
        <translation>Similarité %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 (%2%)</source>
        <translation>%1 (%2&#xa0;%)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>None of these labels</source>
        <translation>Aucune de ces étiquettes</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::PhotoGridView</name>
    <message>
        <location filename="../ui/grid/photogridview.cpp" line="+109"/>
        <source>Open</source>
        <translation>Ouvrir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Find Similar</source>
        <translation>Trouver des photos similaires</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show in File Manager</source>
        <translation>Afficher dans le gestionnaire de fichiers</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Copy Path</source>
        <translation>Copier le chemin</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::PhotoViewer</name>
    <message>
        <location filename="../ui/viewer/photoviewer.cpp" line="+63"/>
        <location line="+129"/>
        <source>Photo</source>
        <translation>Photo</translation>
    </message>
    <message>
        <location line="-107"/>
        <source>Details</source>
        <translation>Détails</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>File name:</source>
        <translation>Nom du fichier&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Folder:</source>
        <translation>Dossier&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Size:</source>
        <translation>Taille&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dimensions:</source>
        <translation>Dimensions&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Taken:</source>
        <translation>Prise de vue&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Modified:</source>
        <translation>Modification&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Content hash:</source>
        <translation>Empreinte du contenu&#xa0;:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Labels</source>
        <translation>Étiquettes</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Find similar</source>
        <translation>Trouver des photos similaires</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rank the whole library by similarity to this photo</source>
        <translation>Classer toute la photothèque par similarité avec cette photo</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Similar photos</source>
        <translation>Photos similaires</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>No photo</source>
        <translation>Aucune photo</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Loading…</source>
        <translation>Chargement…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>This photo is no longer in the library.</source>
        <translation>Cette photo n&apos;est plus dans la photothèque.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>the file could not be decoded</source>
        <translation>le fichier n&apos;a pas pu être décodé</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>unknown error</source>
        <translation>erreur inconnue</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>This photo cannot be shown:
%1</source>
        <translation>Impossible d&apos;afficher cette photo&#xa0;:
%1</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>%1 × %2 pixels</source>
        <translation>%1 × %2 pixels</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+2"/>
        <location line="+3"/>
        <source>Unknown</source>
        <translation>Inconnu</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Not classified. Type labels in the Classify panel to label your photos.</source>
        <translation>Non classifiée. Saisissez des étiquettes dans le panneau «&#xa0;Classifier&#xa0;» pour étiqueter vos photos.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Not in the latest classification.</source>
        <translation>Absente de la dernière classification.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>None of these (best below %1)</source>
        <translation>Aucune de ces étiquettes (meilleure sous %1)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1: %2</source>
        <translation>%1&#xa0;: %2</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Load a model to see similar photos.</source>
        <translation>Chargez un modèle pour voir les photos similaires.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Finding similar photos…</source>
        <translation>Recherche de photos similaires…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Similar photos cannot be found: %1</source>
        <translation>Impossible de trouver des photos similaires&#xa0;: %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>No similar photos: this photo has no embedding with the current model.</source>
        <translation>Aucune photo similaire&#xa0;: cette photo n&apos;a pas de plongement avec le modèle actuel.</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>The %n most similar photos</source>
        <translation>
            <numerusform>La photo la plus similaire</numerusform>
            <numerusform>Les %n photos les plus similaires</numerusform>
        </translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1
Similarity %2</source>
        <translation>%1
Similarité %2</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::PreferencesDialog</name>
    <message>
        <location filename="../ui/settings/preferencesdialog.cpp" line="+31"/>
        <source>Preferences</source>
        <translation>Préférences</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Automatic</source>
        <translation>Automatique</translation>
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
        <translation>Où le modèle s&apos;exécute. «&#xa0;Automatique&#xa0;» utilise le GPU s&apos;il y en a un.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Photos the encoder takes at once while indexing.</source>
        <translation>Nombre de photos que l&apos;encodeur traite à la fois pendant l&apos;indexation.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> MiB</source>
        <translation> Mio</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Disk space kept for thumbnails; the oldest are dropped first.</source>
        <translation>Espace disque réservé aux miniatures&#xa0;; les plus anciennes sont supprimées en premier.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>System default</source>
        <translation>Langue du système</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Device:</source>
        <translation>&amp;Matériel&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Batch size:</source>
        <translation>&amp;Taille de lot&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Thumbnail cache:</source>
        <translation>&amp;Cache des miniatures&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Language:</source>
        <translation>&amp;Langue&#xa0;:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Device changes apply when a model is next loaded; language changes at the next start.</source>
        <translation>Les changements de matériel s&apos;appliquent au prochain chargement d&apos;un modèle&#xa0;; ceux de langue, au prochain démarrage.</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::SearchField</name>
    <message>
        <location filename="../ui/search/searchfield.cpp" line="+28"/>
        <source>Search by text, e.g. &quot;a beach at sunset&quot;, or drop a photo here</source>
        <translation>Rechercher par texte, par ex. «&#xa0;une plage au coucher du soleil&#xa0;», ou déposer une photo ici</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::StatusArea</name>
    <message>
        <location filename="../ui/window/statusarea.cpp" line="+21"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::TrainView</name>
    <message>
        <location filename="../ui/train/trainview.cpp" line="+126"/>
        <source>Data</source>
        <translation>Données</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Folders as labels</source>
        <translation>Dossiers comme étiquettes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Captions CSV/TSV</source>
        <translation>Légendes CSV/TSV</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sidecar captions</source>
        <translation>Légendes dans des fichiers annexes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>WebDataset shards</source>
        <translation>Fragments WebDataset</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Synthetic shapes world</source>
        <translation>Monde synthétique de formes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Source:</source>
        <translation>&amp;Source&#xa0;:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Browse…</source>
        <translation>&amp;Parcourir…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Path:</source>
        <translation>&amp;Chemin&#xa0;:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Training photos drawn when the folder holds no shapes world yet</source>
        <translation>Photos d&apos;entraînement dessinées quand le dossier ne contient pas encore de monde de formes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>P&amp;hotos:</source>
        <translation>P&amp;hotos&#xa0;:</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>From &amp;scratch:</source>
        <translation>À partir de &amp;zéro&#xa0;:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The shape of a new model: tiny, tiny-conv and small train on a CPU</source>
        <translation>L&apos;architecture d&apos;un nouveau modèle&#xa0;: tiny, tiny-conv et small s&apos;entraînent sur un CPU</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Fine-tune the current model</source>
        <translation>&amp;Affiner le modèle actuel</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Lock &amp;image tower</source>
        <translation>Figer l&apos;encodeur &amp;visuel</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lock &amp;text tower</source>
        <translation>Figer l&apos;encodeur de te&amp;xte</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Training</source>
        <translation>Entraînement</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Minutes</source>
        <translation>Minutes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Steps</source>
        <translation>Étapes</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The schedule is sized from the speed measured over the first steps</source>
        <translation>Le planning est dimensionné d&apos;après la vitesse mesurée sur les premières étapes</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Length:</source>
        <translation>&amp;Durée&#xa0;:</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Photos per contrastive batch: each is told apart from the others</source>
        <translation>Photos par lot contrastif&#xa0;: chacune est distinguée des autres</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Batch size:</source>
        <translation>&amp;Taille de lot&#xa0;:</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Peak learning rate, reached after the warm-up, then cosine decay</source>
        <translation>Taux d&apos;apprentissage maximal, atteint après le préchauffage, puis décroissance en cosinus</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Learning &amp;rate:</source>
        <translation>Taux d&apos;app&amp;rentissage&#xa0;:</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+13"/>
        <source> steps</source>
        <translation> étapes</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>&amp;Warm-up:</source>
        <translation>Préchau&amp;ffage&#xa0;:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Seed for the initial weights, the data order and the augmentation</source>
        <translation>Graine des poids initiaux, de l&apos;ordre des données et de l&apos;augmentation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>S&amp;eed:</source>
        <translation>&amp;Graine&#xa0;:</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>InfoNCE (softmax)</source>
        <translation>InfoNCE (softmax)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sigmoid</source>
        <translation>Sigmoïde</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>L&amp;oss:</source>
        <translation>P&amp;erte&#xa0;:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Off (random batches)</source>
        <translation>Désactivé (lots aléatoires)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Captions one word apart</source>
        <translation>Légendes différant d&apos;un mot</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nearest neighbours</source>
        <translation>Plus proches voisins</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Put confusable photos into the same batch</source>
        <translation>Placer les photos faciles à confondre dans le même lot</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Hard negatives:</source>
        <translation>&amp;Négatifs difficiles&#xa0;:</translation>
    </message>
    <message>
        <location line="-17"/>
        <location line="+23"/>
        <source>Off</source>
        <translation>Désactivé</translation>
    </message>
    <message>
        <location line="-22"/>
        <source>Measure recall@1 on held-out photos of the data every this many steps (the shapes world has them); 0: off</source>
        <translation>Mesurer le recall@1 sur des photos des données mises de côté, à cet intervalle d&apos;étapes (le monde de formes en contient)&#xa0;; 0&#xa0;: désactivé</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>E&amp;valuate every:</source>
        <translation>É&amp;valuer toutes les&#xa0;:</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>HN-NCE: weigh the negatives most like the positive more (0: off)</source>
        <translation>HN-NCE&#xa0;: pondérer davantage les négatifs les plus proches du positif (0&#xa0;: désactivé)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hard-negative &amp;weight:</source>
        <translation>P&amp;oids des négatifs difficiles&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Augment the photos (crops, flips, blur, colour)</source>
        <translation>A&amp;ugmenter les photos (recadrages, retournements, flou, couleur)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Automatic</source>
        <translation>Automatique</translation>
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
        <translation>&amp;Matériel&#xa0;:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Output</source>
        <translation>Sortie</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The run folder: checkpoints, metrics.jsonl and, at the end, the model</source>
        <translation>Le dossier de l&apos;exécution&#xa0;: points de contrôle, metrics.jsonl et, à la fin, le modèle</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>B&amp;rowse…</source>
        <translation>Parcour&amp;ir…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>S&amp;tart</source>
        <translation>&amp;Lancer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start a new run into the output folder</source>
        <translation>Lancer une nouvelle exécution dans le dossier de sortie</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Pause</source>
        <translation>&amp;Pause</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop after this step with a checkpoint; Resume continues from it</source>
        <translation>S&apos;arrêter après cette étape avec un point de contrôle&#xa0;; «&#xa0;Reprendre&#xa0;» continue à partir de celui-ci</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Res&amp;ume</source>
        <translation>&amp;Reprendre</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Continue the run in the output folder from its last checkpoint</source>
        <translation>Poursuivre l&apos;exécution du dossier de sortie à partir de son dernier point de contrôle</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>St&amp;op</source>
        <translation>&amp;Arrêter</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>End the run; its latest checkpoint becomes the model</source>
        <translation>Terminer l&apos;exécution&#xa0;; son dernier point de contrôle devient le modèle</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%v / %m</source>
        <translation>%v / %m</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Loss</source>
        <translation>Perte</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Logit scale (1 / temperature)</source>
        <translation>Échelle des logits (1 / température)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Recall@1 (held-out)</source>
        <translation>Recall@1 (photos mises de côté)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>&amp;Use this model</source>
        <translation>&amp;Utiliser ce modèle</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Search and classify with the trained model; the library is re-embedded in the background</source>
        <translation>Rechercher et classifier avec le modèle entraîné&#xa0;; les plongements de la photothèque sont recalculés en arrière-plan</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Step</source>
        <translation>Étape</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>A folder of label folders</source>
        <translation>Un dossier de dossiers d&apos;étiquettes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>One subfolder per label; each photo is captioned with a prompt naming its folder.</source>
        <translation>Un sous-dossier par étiquette&#xa0;; chaque photo reçoit comme légende un prompt qui nomme son dossier.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A .csv or .tsv file</source>
        <translation>Un fichier .csv ou .tsv</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Columns path (or image, filepath, file_name) and caption (or text, title); relative paths are relative to the file&apos;s folder.</source>
        <translation>Colonnes path (ou image, filepath, file_name) et caption (ou text, title)&#xa0;; les chemins relatifs partent du dossier du fichier.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A folder of photos</source>
        <translation>Un dossier de photos</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Each photo with its caption in a same-named .txt file beside it.</source>
        <translation>Chaque photo avec sa légende dans un fichier .txt du même nom placé à côté.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A .tar shard or a pattern</source>
        <translation>Un fragment .tar ou un motif</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Uncompressed WebDataset shards; a pattern such as shard-{000..009}.tar names several.</source>
        <translation>Fragments WebDataset non compressés&#xa0;; un motif tel que shard-{000..009}.tar en désigne plusieurs.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A folder for the shapes world</source>
        <translation>Un dossier pour le monde de formes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Drawn shapes with truthful captions. When the folder holds no world yet, one is drawn first.</source>
        <translation>Des formes dessinées avec des légendes exactes. Si le dossier ne contient pas encore de monde, un monde est d&apos;abord dessiné.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Captions file</source>
        <translation>Fichier de légendes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Captions (*.csv *.tsv);;All files (*)</source>
        <translation>Légendes (*.csv *.tsv);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>WebDataset shard</source>
        <translation>Fragment WebDataset</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>WebDataset shards (*.tar);;All files (*)</source>
        <translation>Fragments WebDataset (*.tar);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Training data folder</source>
        <translation>Dossier des données d&apos;entraînement</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Run folder</source>
        <translation>Dossier de l&apos;exécution</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1 (%2-dimensional), %3</source>
        <translation>%1 (%2 dimensions), %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No model is loaded.</source>
        <translation>Aucun modèle n&apos;est chargé.</translation>
    </message>
    <message>
        <location line="+172"/>
        <location line="+41"/>
        <source>Choose the training data first.</source>
        <translation>Choisissez d&apos;abord les données d&apos;entraînement.</translation>
    </message>
    <message>
        <location line="-37"/>
        <source>Load a model to fine-tune first.</source>
        <translation>Chargez d&apos;abord un modèle à affiner.</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>There is no trained model yet.</source>
        <translation>Il n&apos;y a pas encore de modèle entraîné.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>There is no library to use the model with.</source>
        <translation>Il n&apos;y a pas de photothèque avec laquelle utiliser le modèle.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Loading %1; the library is embedded with it in the background.</source>
        <translation>Chargement de %1&#xa0;; les plongements de la photothèque sont recalculés avec ce modèle en arrière-plan.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Drawing the shapes world: %1 of %2 photos</source>
        <translation>Dessin du monde de formes&#xa0;: %1 photos sur %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Reading the data and preparing the model…</source>
        <translation>Lecture des données et préparation du modèle…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Drawing the shapes world…</source>
        <translation>Dessin du monde de formes…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Step %1 of %2 · epoch %3 · loss %4 · logit scale %5 · %6 samples/s · %7 left</source>
        <translation>Étape %1 sur %2 · époque %3 · perte %4 · échelle des logits %5 · %6 exemples/s · encore %7</translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>%n step(s) skipped (non-finite loss)</source>
        <translation>
            <numerusform>%n étape ignorée (perte non finie)</numerusform>
            <numerusform>%n étapes ignorées (perte non finie)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n photo(s) could not be read</source>
        <translation>
            <numerusform>%n photo n&apos;a pas pu être lue</numerusform>
            <numerusform>%n photos n&apos;ont pas pu être lues</numerusform>
        </translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Paused at step %1. Resume continues from its checkpoint.</source>
        <translation>En pause à l&apos;étape %1. «&#xa0;Reprendre&#xa0;» continue à partir de son point de contrôle.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Stopped before the first step.</source>
        <translation>Arrêté avant la première étape.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Stopped at step %1. Model: %2</source>
        <translation>Arrêté à l&apos;étape %1. Modèle&#xa0;: %2</translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>Finished: %n step(s), final loss %1, %2. Model: %3</source>
        <translation>
            <numerusform>Terminé&#xa0;: %n étape, perte finale %1, %2. Modèle&#xa0;: %3</numerusform>
            <numerusform>Terminé&#xa0;: %n étapes, perte finale %1, %2. Modèle&#xa0;: %3</numerusform>
        </translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Training failed: %1</source>
        <translation>Échec de l&apos;entraînement&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>lodestone::ui::TrainingCurveModel</name>
    <message>
        <location filename="../ui/train/trainingcurvemodel.cpp" line="+110"/>
        <source>Step</source>
        <translation>Étape</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Loss</source>
        <translation>Perte</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Logit scale</source>
        <translation>Échelle des logits</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Learning rate</source>
        <translation>Taux d&apos;apprentissage</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Recall@1 (held-out)</source>
        <translation>Recall@1 (photos mises de côté)</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/desktop/main.cpp" line="+35"/>
        <source>Explore photo collections through a contrastive image-text embedding.</source>
        <translation>Explorer des collections de photos grâce à un plongement contrastif image-texte.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Model folder or file (Hugging Face, OpenCLIP, Lodestone checkpoint).</source>
        <translation>Dossier ou fichier du modèle (Hugging Face, OpenCLIP, point de contrôle Lodestone).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Library folder (default: in the user&apos;s data folder).</source>
        <translation>Dossier de la photothèque (par défaut&#xa0;: dans le dossier de données de l&apos;utilisateur).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Start the built-in demo when no model is loaded: a small model trained here on a synthetic world of shapes, then search, labels and the map to try.</source>
        <translation>Lancer la démo intégrée si aucun modèle n&apos;est chargé&#xa0;: un petit modèle entraîné ici sur un monde synthétique de formes, puis la recherche, les étiquettes et la carte à essayer.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Photo folders to add and index.</source>
        <translation>Dossiers de photos à ajouter et à indexer.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Lodestone</source>
        <translation>Lodestone</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The library %1 cannot be opened: %2</source>
        <translation>Impossible d&apos;ouvrir la photothèque %1&#xa0;: %2</translation>
    </message>
</context>
</TS>
