<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>gp::viewer_app::MainWindow</name>
    <message>
        <location filename="../app/main_window.cpp" line="232" />
        <source>Not found: %1</source>
        <translation>Not found: %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="314" />
        <source>%1 m/pixel</source>
        <translation>%1 m/pixel</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="328" />
        <source>gridplan viewer — %1</source>
        <translation>gridplan viewer — %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="329" />
        <source>gridplan viewer</source>
        <translation>gridplan viewer</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="330" />
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="331" />
        <source>&amp;Open plan or GIS file…</source>
        <translation>&amp;Open plan or GIS file…</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="332" />
        <source>&amp;Add layers from file (results, scenarios)…</source>
        <translation>&amp;Add layers from file (results, scenarios)…</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="333" />
        <source>&amp;Save edited plan as…</source>
        <translation>&amp;Save edited plan as…</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="334" />
        <source>&amp;Export map (PNG, PDF, SVG)…</source>
        <translation>&amp;Export map (PNG, PDF, SVG)…</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="335" />
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="336" />
        <source>&amp;Edit</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="337" />
        <source>&amp;Undo</source>
        <translation>&amp;Undo</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="338" />
        <source>&amp;Redo</source>
        <translation>&amp;Redo</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="339" />
        <source>&amp;Move selected buildings to cell</source>
        <translation>&amp;Move selected buildings to cell</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="340" />
        <source>&amp;View</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="341" />
        <source>Zoom to &amp;full extent</source>
        <translation>Zoom to &amp;full extent</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="342" />
        <source>Zoom &amp;in</source>
        <translation>Zoom &amp;in</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="343" />
        <source>Zoom &amp;out</source>
        <translation>Zoom &amp;out</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="344" />
        <source>Zoom to &amp;layer</source>
        <translation>Zoom to &amp;layer</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="345" />
        <source>Zoom to &amp;selection</source>
        <translation>Zoom to &amp;selection</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="346" />
        <source>Show &amp;labels</source>
        <translation>Show &amp;labels</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="347" />
        <source>&amp;Tools</source>
        <translation>&amp;Tools</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="348" />
        <source>Pan</source>
        <translation>Pan</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="349" />
        <source>Identify</source>
        <translation>Identify</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="350" />
        <source>Select buildings</source>
        <translation>Select buildings</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="351" />
        <source>Select by rectangle</source>
        <translation>Select by rectangle</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="352" />
        <source>Select by lasso</source>
        <translation>Select by lasso</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="353" />
        <source>Paint buildings into a cell</source>
        <translation>Paint buildings into a cell</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="354" />
        <source>&amp;Language</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="355" />
        <source>Tools</source>
        <translation>Tools</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="356" />
        <source> Colour by: </source>
        <translation> Colour by: </translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="357" />
        <source>Layers</source>
        <translation>Layers</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="358" />
        <source>Up</source>
        <translation>Up</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="359" />
        <source>Down</source>
        <translation>Down</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="360" />
        <source>Opacity</source>
        <translation>Opacity</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="361" />
        <source>Identify and search</source>
        <translation>Identify and search</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="362" />
        <source>Search by code or name, then Enter</source>
        <translation>Search by code or name, then Enter</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="363" />
        <source>Field</source>
        <translation>Field</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="363" />
        <source>Value</source>
        <translation>Value</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="364" />
        <source>Plan figures and editing</source>
        <translation>Plan figures and editing</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="365" />
        <source>Select buildings (click, rectangle or lasso), choose an adjacent cell and move them. Moves that break contiguity are refused.</source>
        <translation>Select buildings (click, rectangle or lasso), choose an adjacent cell and move them. Moves that break contiguity are refused.</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="367" />
        <source>Move selection to this cell</source>
        <translation>Move selection to this cell</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="368" />
        <source>Violations (click one to show it):</source>
        <translation>Violations (click one to show it):</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="369" />
        <source>Paint: choose the target cell (or right-click a cell with the paint tool), then drag over buildings.</source>
        <translation>Paint: choose the target cell (or right-click a cell with the paint tool), then drag over buildings.</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="371" />
        <source>Simulation results</source>
        <translation>Simulation results</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="564" />
        <source>Not an editable plan (needs the plan's cells and units layers).</source>
        <translation>Not an editable plan (needs the plan's cells and units layers).</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="567" />
        <source>Cells: %1
Within bounds: %2 of %1 (%3 %)
Contiguous: %4 of %1 (%5 %)
%6 per cell: %7 – %8 (mean %9)
Mean compactness (Polsby-Popper): %10
Cut adjacency edges: %11
Compounds split: %12
Unassigned buildings: %13
Manual edits: %14</source>
        <translation>Cells: %1
Within bounds: %2 of %1 (%3 %)
Contiguous: %4 of %1 (%5 %)
%6 per cell: %7 – %8 (mean %9)
Mean compactness (Polsby-Popper): %10
Cut adjacency edges: %11
Compounds split: %12
Unassigned buildings: %13
Manual edits: %14</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="671" />
        <source>bounds</source>
        <translation>bounds</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="428" />
        <source>Opened %1 in %2 ms</source>
        <translation>Opened %1 in %2 ms</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="433" />
        <location filename="../app/main_window.cpp" line="435" />
        <source>Cannot open file</source>
        <translation>Cannot open file</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="462" />
        <source>Cannot add file</source>
        <translation>Cannot add file</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="533" />
        <source>(plain)</source>
        <translation>(plain)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="559" />
        <source>Cannot colour the map</source>
        <translation>Cannot colour the map</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="630" />
        <source>%1 building(s) selected</source>
        <translation>%1 building(s) selected</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="653" />
        <source>layer</source>
        <translation>layer</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="668" />
        <source>cell (live)</source>
        <translation>cell (live)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="669" />
        <source>cell households (live)</source>
        <translation>cell households (live)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="670" />
        <source>cell buildings (live)</source>
        <translation>cell buildings (live)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="672" />
        <source>within bounds (live)</source>
        <translation>within bounds (live)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="672" />
        <source>yes</source>
        <translation>yes</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="672" />
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="673" />
        <source>pieces (live)</source>
        <translation>pieces (live)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="674" />
        <source>compactness (live)</source>
        <translation>compactness (live)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="730" />
        <source>Split a compound?</source>
        <translation>Split a compound?</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="731" />
        <source>This move puts compound(s) %1 into more cells. Compounds (小区) are normally kept whole. Move anyway? The move is recorded as splitting them.</source>
        <translation>This move puts compound(s) %1 into more cells. Compounds (小区) are normally kept whole. Move anyway? The move is recorded as splitting them.</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="741" />
        <location filename="../app/main_window.cpp" line="774" />
        <source>Refused: %1</source>
        <translation>Refused: %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="742" />
        <source>Move refused: %1</source>
        <translation>Move refused: %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="759" />
        <source>Moved %1 building(s) to %2 (%3 ms)</source>
        <translation>Moved %1 building(s) to %2 (%3 ms)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="788" />
        <location filename="../app/main_window.cpp" line="800" />
        <source>Cannot save</source>
        <translation>Cannot save</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="788" />
        <source>Not an editable plan.</source>
        <translation>Not an editable plan.</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="797" />
        <source>Saved %1</source>
        <translation>Saved %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="835" />
        <source>Open plan or GIS file</source>
        <translation>Open plan or GIS file</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="836" />
        <source>GIS files (*.gpkg *.shp *.geojson *.json *.kml *.gml *.csv);;All files (*)</source>
        <translation>GIS files (*.gpkg *.shp *.geojson *.json *.kml *.gml *.csv);;All files (*)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="842" />
        <source>Add layers from file</source>
        <translation>Add layers from file</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="843" />
        <source>GIS files (*.gpkg *.shp *.geojson);;All files (*)</source>
        <translation>GIS files (*.gpkg *.shp *.geojson);;All files (*)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="848" />
        <source>Save edited plan as a new file</source>
        <translation>Save edited plan as a new file</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="849" />
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="856" />
        <source>Export map</source>
        <translation>Export map</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="857" />
        <source>Maps (*.png *.pdf *.svg)</source>
        <translation>Maps (*.png *.pdf *.svg)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="865" />
        <source>Cannot export map</source>
        <translation>Cannot export map</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="871" />
        <source>Move refused</source>
        <translation>Move refused</translation>
    </message>
</context>
</TS>