<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>QObject</name>
    <message numerus="yes">
        <source>%n s</source>
        <translation>
            <numerusform>%n s</numerusform>
            <numerusform>%n s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min</source>
        <translation>
            <numerusform>%n min</numerusform>
            <numerusform>%n min</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>lodestone::ui::ClassifyPanel</name>
    <message numerus="yes">
        <source>Default (%n template(s))</source>
        <translation>
            <numerusform>Default (%n template)</numerusform>
            <numerusform>Default (%n templates)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Classifying %n selected photo(s)…</source>
        <translation>
            <numerusform>Classifying %n selected photo…</numerusform>
            <numerusform>Classifying %n selected photos…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n photo(s) labelled</source>
        <translation>
            <numerusform>%n photo labelled</numerusform>
            <numerusform>%n photos labelled</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n with none of these labels</source>
        <translation>
            <numerusform>%n with none of these labels</numerusform>
            <numerusform>%n with none of these labels</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>lodestone::ui::FolderListModel</name>
    <message numerus="yes">
        <source>%1 (%n photo(s))</source>
        <translation>
            <numerusform>%1 (%n photo)</numerusform>
            <numerusform>%1 (%n photos)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n failed</numerusform>
            <numerusform>%n failed</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>lodestone::ui::LabelCountModel</name>
    <message numerus="yes">
        <source>%1: %n photo(s) (%2%)</source>
        <translation>
            <numerusform>%1: %n photo (%2%)</numerusform>
            <numerusform>%1: %n photos (%2%)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>lodestone::ui::MainWindow</name>
    <message numerus="yes">
        <source>%n file(s) could not be read. They are skipped and tried again at the next indexing run.</source>
        <translation>
            <numerusform>%n file could not be read. It is skipped and tried again at the next indexing run.</numerusform>
            <numerusform>%n files could not be read. They are skipped and tried again at the next indexing run.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Scanning folders: %n file(s) found</source>
        <translation>
            <numerusform>Scanning folders: %n file found</numerusform>
            <numerusform>Scanning folders: %n files found</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Ranked %n photo(s) by similarity</source>
        <translation>
            <numerusform>Ranked %n photo by similarity</numerusform>
            <numerusform>Ranked %n photos by similarity</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) could not be read. &lt;a href=&quot;#&quot;&gt;Show&lt;/a&gt;</source>
        <translation>
            <numerusform>%n file could not be read. &lt;a href=&quot;#&quot;&gt;Show&lt;/a&gt;</numerusform>
            <numerusform>%n files could not be read. &lt;a href=&quot;#&quot;&gt;Show&lt;/a&gt;</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n photo(s)</source>
        <translation>
            <numerusform>%n photo</numerusform>
            <numerusform>%n photos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n photo(s)</source>
        <translation>
            <numerusform>%1 of %n photo</numerusform>
            <numerusform>%1 of %n photos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Indexing cancelled: %n photo(s) indexed</source>
        <translation>
            <numerusform>Indexing cancelled: %n photo indexed</numerusform>
            <numerusform>Indexing cancelled: %n photos indexed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n moved</source>
        <translation>
            <numerusform>%n moved</numerusform>
            <numerusform>%n moved</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n removed</source>
        <translation>
            <numerusform>%n removed</numerusform>
            <numerusform>%n removed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n failed</numerusform>
            <numerusform>%n failed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) could not be read and were skipped.</source>
        <translation>
            <numerusform>%n file could not be read and was skipped.</numerusform>
            <numerusform>%n files could not be read and were skipped.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) could not be added.</source>
        <translation>
            <numerusform>%n item could not be added.</numerusform>
            <numerusform>%n items could not be added.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The demo: drawing a world of coloured shapes, then training a small model on it for %n minute(s). Watch its loss fall here; the photos it has not seen are indexed when it is done.</source>
        <translation>
            <numerusform>The demo: drawing a world of coloured shapes, then training a small model on it for %n minute. Watch its loss fall here; the photos it has not seen are indexed when it is done.</numerusform>
            <numerusform>The demo: drawing a world of coloured shapes, then training a small model on it for %n minutes. Watch its loss fall here; the photos it has not seen are indexed when it is done.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Library up to date: %n photo(s)</source>
        <translation>
            <numerusform>Library up to date: %n photo</numerusform>
            <numerusform>Library up to date: %n photos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n new</source>
        <translation>
            <numerusform>%n new</numerusform>
            <numerusform>%n new</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>lodestone::ui::MapView</name>
    <message numerus="yes">
        <source>%n photo(s)</source>
        <translation>
            <numerusform>%n photo</numerusform>
            <numerusform>%n photos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n cluster(s)</source>
        <translation>
            <numerusform>%n cluster</numerusform>
            <numerusform>%n clusters</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>lodestone::ui::PhotoViewer</name>
    <message numerus="yes">
        <source>The %n most similar photos</source>
        <translation>
            <numerusform>The most similar photo</numerusform>
            <numerusform>The %n most similar photos</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>lodestone::ui::TrainView</name>
    <message numerus="yes">
        <source>%n step(s) skipped (non-finite loss)</source>
        <translation>
            <numerusform>%n step skipped (non-finite loss)</numerusform>
            <numerusform>%n steps skipped (non-finite loss)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n photo(s) could not be read</source>
        <translation>
            <numerusform>%n photo could not be read</numerusform>
            <numerusform>%n photos could not be read</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Finished: %n step(s), final loss %1, %2. Model: %3</source>
        <translation>
            <numerusform>Finished: %n step, final loss %1, %2. Model: %3</numerusform>
            <numerusform>Finished: %n steps, final loss %1, %2. Model: %3</numerusform>
        </translation>
    </message>
</context>
</TS>
