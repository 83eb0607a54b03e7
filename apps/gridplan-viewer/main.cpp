#include <QApplication>
#include <QLabel>

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QLabel label(QStringLiteral("gridplan-viewer"));
  label.show();
  return QApplication::exec();
}
